using Warden.Sources.Files;
using Warden.TestKit;

namespace Warden.Sources.Tests.Files;

public sealed class GlobLogSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-glob");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadAsync_FirstRun_StartsAtTheEndOfEveryMatch()
    {
        var a = _dir.Write("a.log", "old a\n");
        var b = _dir.Write("b.log", "old b\n");
        _dir.Write("c.txt", "not matched\n");
        await using var run = await SourceRun.StartAsync(Source("*.log"), null);

        File.AppendAllText(a, "new a\n");
        File.AppendAllText(b, "new b\n");
        File.AppendAllText(_dir.File("c.txt"), "still not matched\n");

        await run.WaitForAsync(2);
        await run.AssertStaysAtAsync(2);
        Assert.Equal(["new a", "new b"], run.Lines.Order());
    }

    [Fact]
    public async Task ReadAsync_FileAppearsLater_ReadFromItsStart()
    {
        _dir.Write("a.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source("*.log"), null);

        _dir.Write("later.log", "first\nsecond\n");

        await run.WaitForAsync(2);
        Assert.Equal(["first", "second"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_WildcardDirectory_MatchesFilesInNewDirectories()
    {
        _dir.Write("site1/error.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source("*/error.log"), null);

        _dir.Write("site2/error.log", "site2 line\n");
        File.AppendAllText(_dir.File("site1/error.log"), "site1 line\n");

        await run.WaitForAsync(2);
        Assert.Equal(["site1 line", "site2 line"], run.Lines.Order());
    }

    [Fact]
    public async Task ReadAsync_PatternAlsoMatchesRotatedNames_ReadsEachLineOnce()
    {
        var log = _dir.Write("app.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source("app*"), null);
        File.AppendAllText(log, "gen1 a\n");
        await run.WaitForAsync(1);

        File.AppendAllText(log, "gen1 b\n");
        File.Move(log, log + ".1");
        File.WriteAllText(log, "gen2 a\n");

        await run.WaitForAsync(3);
        await run.AssertStaysAtAsync(3);
        Assert.Equal(["gen1 a", "gen1 b", "gen2 a"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_Restart_ResumesEveryFileAndReadsFilesCreatedMeanwhile()
    {
        var a = _dir.Write("a.log", string.Empty);
        string checkpoint;
        await using (var run = await SourceRun.StartAsync(Source("*.log"), null))
        {
            File.AppendAllText(a, "a 1\n");
            await run.WaitForAsync(1);
            checkpoint = await run.StopAsync();
        }

        File.AppendAllText(a, "a 2\n");
        _dir.Write("b.log", "b 1\n");
        await using var again = await SourceRun.StartAsync(Source("*.log"), checkpoint);

        await again.WaitForAsync(2);
        await again.AssertStaysAtAsync(2);
        Assert.Equal(["a 2", "b 1"], again.Lines.Order());
    }

    [Theory]
    [InlineData("*.log", "auth.log", true)]
    [InlineData("*.log", "auth.log.1", false)]
    [InlineData("*.log", ".hidden.log", false)]
    [InlineData(".*.log", ".hidden.log", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("[ab]*", "beta", true)]
    [InlineData("[!ab]*", "beta", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[]]x", "]x", true)]
    [InlineData("*error*log", "site-error-2024.log", true)]
    [InlineData("[unclosed", "[unclosed", true)]
    public void Matches_Pattern_AsFnmatch(string pattern, string name, bool expected) =>
        Assert.Equal(expected, GlobPattern.Matches(pattern, name));

    [Fact]
    public void Matches_ManyStars_StaysFast()
    {
        var name = new string('a', 5000);

        Assert.False(GlobPattern.Matches("*a*a*a*a*a*a*a*a*b", name));
    }

    private GlobLogSource Source(string pattern) =>
        GlobLogSource.Create(Path.Combine(_dir.Path, pattern), new FileSourceOptions(), TimeProvider.System);
}
