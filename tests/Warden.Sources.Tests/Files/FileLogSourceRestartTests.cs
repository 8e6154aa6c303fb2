using Warden.Sources.Files;
using Warden.TestKit;
using static Warden.Sources.Tests.Files.FileLogSourceTests;

namespace Warden.Sources.Tests.Files;

public sealed class FileLogSourceRestartTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-src");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadAsync_Checkpoint_ResumesWithLinesWrittenWhileStopped()
    {
        var log = _dir.Write("auth.log", "seen before\n");
        var checkpoint = await ReadThenStopAsync(log, null, "line 1\nline 2\n", 2);

        File.AppendAllText(log, "while down 1\nwhile down 2\n");
        await using var run = await SourceRun.StartAsync(Source(log), checkpoint);
        File.AppendAllText(log, "after restart\n");

        await run.WaitForAsync(3);
        await run.AssertStaysAtAsync(3);
        Assert.Equal(["while down 1", "while down 2", "after restart"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_FirstBatch_CarriesAStartCheckpointThatLosesNothing()
    {
        var log = _dir.Write("auth.log", "old\n");
        string first;
        await using (var run = await SourceRun.StartAsync(Source(log), null))
        {
            first = await run.StopAsync();
        }

        File.AppendAllText(log, "written before any line was read\n");
        await using var again = await SourceRun.StartAsync(Source(log), first);

        await again.WaitForAsync(1);
        Assert.Equal(["written before any line was read"], again.Lines);
    }

    [Fact]
    public async Task ReadAsync_RotatedWhileStopped_ReadsTheRotatedTailThenTheNewFile()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var checkpoint = await ReadThenStopAsync(log, null, "gen1 a\n", 1);

        File.AppendAllText(log, "gen1 b\n");
        File.Move(log, log + ".1");
        File.WriteAllText(log, "gen2 a\n");
        await using var run = await SourceRun.StartAsync(Source(log), checkpoint);

        await run.WaitForAsync(2);
        await run.AssertStaysAtAsync(2);
        Assert.Equal(["gen1 b", "gen2 a"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_RotatedTwiceWhileStopped_ReadsEveryGenerationInOrder()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var checkpoint = await ReadThenStopAsync(log, null, "gen1 a\n", 1);

        File.AppendAllText(log, "gen1 b\n");
        File.Move(log, log + ".1");
        File.WriteAllText(log, "gen2 a\n");
        File.Move(log + ".1", log + ".2");
        File.Move(log, log + ".1");
        File.WriteAllText(log, "gen3 a\n");
        await using var run = await SourceRun.StartAsync(Source(log), checkpoint);

        await run.WaitForAsync(3);
        await run.AssertStaysAtAsync(3);
        Assert.Equal(["gen1 b", "gen2 a", "gen3 a"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_SymlinkRetargetedWhileStopped_ReadsTheOldTargetsTailThenTheNewTarget()
    {
        var a = _dir.Write("app.log.d/a.log", string.Empty);
        var b = _dir.Write("app.log.d/b.log", string.Empty);
        var link = _dir.File("app.log");
        File.CreateSymbolicLink(link, a);
        using var writer = OpenWriter(link);
        Write(writer, "a 0\n");
        var checkpoint = await ReadThenStopAsync(link, null, string.Empty, 0, () => Write(writer, "a 1\n"), 1);

        File.CreateSymbolicLink(link + ".tmp", b);
        File.Move(link + ".tmp", link, overwrite: true);
        Write(writer, "a 2\n");
        File.AppendAllText(b, "b 1\n");
        await using var run = await SourceRun.StartAsync(Source(link), checkpoint);

        await run.WaitForAsync(2);
        await run.AssertStaysAtAsync(2);
        Assert.Equal(["a 2", "b 1"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_CopyTruncatedWhileStopped_ReadsTheCopyTailThenTheFile()
    {
        var log = _dir.Write("auth.log", "header line of generation one\n");
        var checkpoint = await ReadThenStopAsync(log, null, "gen1 a\n", 1);

        File.AppendAllText(log, "gen1 b\n");
        File.Copy(log, log + ".1");
        File.WriteAllText(log, "gen2 a, in the same inode\n");
        await using var run = await SourceRun.StartAsync(Source(log), checkpoint);

        await run.WaitForAsync(2);
        await run.AssertStaysAtAsync(2);
        Assert.Equal(["gen1 b", "gen2 a, in the same inode"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_CheckpointFileDeleted_ReadsTheCurrentFileFromItsStart()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var checkpoint = await ReadThenStopAsync(log, null, "gen1 a\n", 1);

        File.Delete(log);
        File.WriteAllText(log, "gen2 a\ngen2 b\n");
        await using var run = await SourceRun.StartAsync(Source(log), checkpoint);

        await run.WaitForAsync(2);
        Assert.Equal(["gen2 a", "gen2 b"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_FileShorterThanCheckpointWithSameHead_ResumesAtItsEnd()
    {
        var header = string.Concat(Enumerable.Range(0, 20).Select(i => $"line {i} that was on disk long ago\n"));
        var log = _dir.Write("auth.log", header);
        var checkpoint = await ReadThenStopAsync(log, null, "read 1\nread 2\n", 2);

        // A power loss took the last lines the writer had not flushed, though Warden read them.
        using (var cut = new FileStream(log, FileMode.Open, FileAccess.Write))
        {
            cut.SetLength(header.Length + "read 1\n".Length);
        }

        await using var run = await SourceRun.StartAsync(Source(log), checkpoint);
        File.AppendAllText(log, "after the crash\n");

        await run.WaitForAsync(1);
        await run.AssertStaysAtAsync(1);
        Assert.Equal(["after the crash"], run.Lines);
    }

    [Fact]
    public async Task ReadAsync_StoppedInsideAnOverlongLine_SkipsItsRestAfterRestart()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var options = new FileSourceOptions { MaxLineBytes = 10 };
        string checkpoint;
        await using (var run = await SourceRun.StartAsync(Source(log, options), null))
        {
            File.AppendAllText(log, "0123456789abcdef");
            await run.WaitForAsync(1);
            checkpoint = await run.StopAsync();
        }

        File.AppendAllText(log, "ghij\nnext\n");
        await using var again = await SourceRun.StartAsync(Source(log, options), checkpoint);

        await again.WaitForAsync(1);
        await again.AssertStaysAtAsync(1);
        Assert.Equal(["next"], again.Lines);
    }

    [Fact]
    public async Task ReadAsync_AbsentCheckpoint_ReadsTheLogThatAppearedMeanwhile()
    {
        var log = _dir.File("app.log");
        string checkpoint;
        await using (var run = await SourceRun.StartAsync(Source(log), null))
        {
            checkpoint = await run.StopAsync();
        }

        File.WriteAllText(log, "appeared while down\n");
        await using var again = await SourceRun.StartAsync(Source(log), checkpoint);

        await again.WaitForAsync(1);
        Assert.Equal(["appeared while down"], again.Lines);
    }

    [Fact]
    public async Task ReadAsync_GarbageCheckpoint_StartsAtTheEnd()
    {
        var log = _dir.Write("auth.log", "old\n");
        await using var run = await SourceRun.StartAsync(Source(log), "not a checkpoint");

        File.AppendAllText(log, "new\n");

        await run.WaitForAsync(1);
        Assert.Equal(["new"], run.Lines);
    }

    private static async Task<string> ReadThenStopAsync(string log, string? checkpoint, string append, int expect, Action? write = null, int? expectAfterWrite = null)
    {
        await using var run = await SourceRun.StartAsync(Source(log), checkpoint);
        File.AppendAllText(log, append);
        write?.Invoke();
        await run.WaitForAsync(expectAfterWrite ?? expect);
        return await run.StopAsync();
    }
}
