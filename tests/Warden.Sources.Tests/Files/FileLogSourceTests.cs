using System.Text;
using Warden.Sources.Files;
using Warden.TestKit;

namespace Warden.Sources.Tests.Files;

public sealed class FileLogSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-src");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadAsync_FirstRun_StartsAtEndOfFile()
    {
        var log = _dir.Write("auth.log", "old 1\nold 2\n");
        await using var run = await SourceRun.StartAsync(Source(log), null);

        File.AppendAllText(log, "new 1\nnew 2\n");

        await run.WaitForAsync(2);
        Assert.Equal(["new 1", "new 2"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_FirstRunInsideAPartialLine_SkipsItsRest()
    {
        var log = _dir.Write("auth.log", "old 1\nhalf");
        await using var run = await SourceRun.StartAsync(Source(log), null);

        File.AppendAllText(log, " done\nnew 1\n");

        await run.WaitForAsync(1);
        await run.AssertStaysAtAsync(1);
        Assert.Equal(["new 1"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_PartialLine_WaitsForItsNewline()
    {
        var log = _dir.Write("auth.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source(log), null);

        File.AppendAllText(log, "Failed password for root from 192.0.2.1");
        await run.AssertStaysAtAsync(0);
        File.AppendAllText(log, " port 22 ssh2\r\n");

        await run.WaitForAsync(1);
        Assert.Equal(["Failed password for root from 192.0.2.1 port 22 ssh2"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_OverlongLine_IsCutAndCounted()
    {
        var log = _dir.Write("auth.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source(log, new FileSourceOptions { MaxLineBytes = 100 }), null);

        File.AppendAllText(log, new string('x', 250) + "\nshort\n" + new string('y', 100) + "\n");

        await run.WaitForAsync(3);
        await run.AssertStaysAtAsync(3);
        Assert.Equal([new string('x', 100), "short", new string('y', 100)], run.Lines);
        Assert.Equal(1, run.Overlong);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8_BecomesReplacementCharacters()
    {
        var log = _dir.Write("auth.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source(log), null);

        using (var stream = new FileStream(log, FileMode.Append))
        {
            stream.Write([(byte)'a', 0xff, 0xfe, (byte)'b', 0xc3, (byte)'\n', 0xc3, 0xa9, (byte)'\n']);
        }

        await run.WaitForAsync(2);
        Assert.Equal(["a\uFFFD\uFFFDb\uFFFD", "é"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_RenameAndCreate_FinishesTheOldFileFirst()
    {
        var log = _dir.Write("auth.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source(log), null);
        using (var writer = OpenWriter(log))
        {
            Write(writer, "before 1\n");
            await run.WaitForAsync(1);

            // logrotate renames; the daemon keeps writing to its open file until it reopens.
            File.Move(log, log + ".1");
            File.WriteAllText(log, string.Empty);
            Write(writer, "late in old\npartial in old");
        }

        File.AppendAllText(log, "after 1\n");

        await run.WaitForAsync(4);
        await run.AssertStaysAtAsync(4);
        Assert.Equal(["before 1", "late in old", "partial in old", "after 1"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_CopyTruncate_ReadsTheCopiedTailThenTheNewContent()
    {
        var log = _dir.Write("auth.log", "old 0\n");
        await using var run = await SourceRun.StartAsync(Source(log, new FileSourceOptions { UseInotify = false, PollInterval = TimeSpan.FromSeconds(1) }), null);
        File.AppendAllText(log, "old 1\n");
        await run.WaitForAsync(1);

        // Between two polls: lines appended, copied away, the file truncated and written again.
        File.AppendAllText(log, "old 2\n");
        File.Copy(log, log + ".1");
        using (var truncate = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            truncate.SetLength(0);
        }

        File.AppendAllText(log, "new 1 is a longer line than all before\n");

        await run.WaitForAsync(3);
        await run.AssertStaysAtAsync(3);
        Assert.Equal(["old 1", "old 2", "new 1 is a longer line than all before"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_Truncation_ReadsFromTheNewStart()
    {
        var log = _dir.Write("auth.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source(log), null);
        File.AppendAllText(log, "line 1\nline 2\n");
        await run.WaitForAsync(2);

        File.WriteAllText(log, "fresh\n");

        await run.WaitForAsync(3);
        Assert.Equal(["line 1", "line 2", "fresh"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_DeleteAndRecreate_ReadsBoth()
    {
        var log = _dir.Write("auth.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source(log), null);
        File.AppendAllText(log, "first file\n");
        await run.WaitForAsync(1);

        File.Delete(log);
        File.WriteAllText(log, "second file\n");

        await run.WaitForAsync(2);
        Assert.Equal(["first file", "second file"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_SymlinkRetargeted_FollowsTheNewTarget()
    {
        var a = _dir.Write("targets/a.log", string.Empty);
        var b = _dir.Write("targets/b.log", string.Empty);
        var link = _dir.File("current.log");
        File.CreateSymbolicLink(link, a);
        await using var run = await SourceRun.StartAsync(Source(link), null);
        File.AppendAllText(a, "in a\n");
        await run.WaitForAsync(1);

        File.AppendAllText(b, "in b\n");
        File.CreateSymbolicLink(link + ".tmp", b);
        File.Move(link + ".tmp", link, overwrite: true);
        File.AppendAllText(b, "in b again\n");

        await run.WaitForAsync(3);
        Assert.Equal(["in a", "in b", "in b again"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_LogAppearsLater_ReadsItFromItsStart()
    {
        var log = _dir.File("later/app.log");
        await using var run = await SourceRun.StartAsync(Source(log), null);

        _dir.Write("later/app.log", "one\ntwo\n");

        await run.WaitForAsync(2);
        Assert.Equal(["one", "two"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_Polling_FollowsAppends()
    {
        var log = _dir.Write("auth.log", string.Empty);
        await using var run = await SourceRun.StartAsync(Source(log, new FileSourceOptions { UseInotify = false }), null);

        File.AppendAllText(log, "polled\n");

        await run.WaitForAsync(1);
        Assert.Equal(["polled"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_UnreadableFile_ThrowsLogSourceException()
    {
        var log = _dir.Write("dir.log/inner", string.Empty);
        var source = Source(_dir.File("dir.log"));

        await Assert.ThrowsAsync<Core.Ports.LogSourceException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(null, CancellationToken.None))
            {
            }
        });
        Assert.True(File.Exists(log));
    }

    [Fact]
    public void Create_RelativePath_IdIsAbsolute()
    {
        var source = FileLogSource.Create("x.log", new FileSourceOptions(), TimeProvider.System);

        Assert.Equal("file:" + Path.GetFullPath("x.log"), source.Id);
    }

    internal static FileLogSource Source(string path, FileSourceOptions? options = null) =>
        FileLogSource.Create(path, options ?? new FileSourceOptions(), TimeProvider.System);

    internal static FileStream OpenWriter(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    internal static void Write(FileStream writer, string text)
    {
        writer.Write(Encoding.UTF8.GetBytes(text));
        writer.Flush();
    }
}
