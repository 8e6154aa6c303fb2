using Warden.Sources.Files;
using Warden.TestKit;

namespace Warden.Sources.Tests.Files;

public sealed class FileSourcesTests
{
    [Theory]
    [InlineData("/var/log/auth.log", "file:/var/log/auth.log")]
    [InlineData("/var/log/auth.log tail", "file:/var/log/auth.log")]
    [InlineData("/var/log/auth.log head", "file:/var/log/auth.log")]
    [InlineData("/var/log/nginx/*.log", "glob:/var/log/nginx/*.log")]
    [InlineData("  /var/log/my app.log  ", "file:/var/log/my app.log")]
    public void ForLogPath_Entry_PicksTheSource(string entry, string id) =>
        Assert.Equal(id, FileSources.ForLogPath(entry, new FileSourceOptions(), TimeProvider.System).Id);

    [Fact]
    public async Task ForLogPath_Head_FirstRunReadsFromTheStart()
    {
        using var dir = new TempDirectory("warden-src");
        var log = dir.Write("auth.log", "already there\n");
        await using var run = await SourceRun.StartAsync(FileSources.ForLogPath(log + " head", new FileSourceOptions(), TimeProvider.System), null);

        await run.WaitForAsync(1);
        Assert.Equal(["already there"], run.Lines);
    }

    [Fact]
    public void ForLogPath_Empty_Throws() =>
        Assert.Throws<ArgumentException>(() => FileSources.ForLogPath("  ", new FileSourceOptions(), TimeProvider.System));
}
