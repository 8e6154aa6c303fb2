using Microsoft.Extensions.Logging;
using Warden.Sources.Files;
using Warden.TestKit;

namespace Warden.Sources.Tests.Files;

/// <summary>
/// Issue 14, finding 2: a restart finds the file of its checkpoint by identity among every
/// numbered and dated generation, however many rotations happened while Warden was down, and
/// what really is gone is logged once with the file and counted (<c>LogBatch.Lost</c>).
/// </summary>
public sealed class FileLogSourceGenerationTests : IDisposable
{
    private const int RotationsWhileDown = 12;
    private readonly TempDirectory _dir = new("warden-gen");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadAsync_RenamedManyTimesWhileStopped_ResumesInTheFileFoundByIdentity()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        var checkpoint = await ReadThenStopAsync(log, logger, "gen0 read\n");
        File.AppendAllText(log, "gen0 unread\n");
        for (var g = 1; g <= RotationsWhileDown; g++)
        {
            // logrotate's order: shift .N to .N+1 from the highest down, then the log to .1.
            for (var i = g - 1; i >= 1; i--)
            {
                File.Move($"{log}.{i}", $"{log}.{i + 1}");
            }

            File.Move(log, log + ".1");
            File.WriteAllText(log, $"gen{g}\n");
        }

        await using var run = await SourceRun.StartAsync(Source(log, logger), checkpoint);

        await run.WaitForAsync(RotationsWhileDown + 1);
        await run.AssertStaysAtAsync(RotationsWhileDown + 1);
        Assert.Equal(["gen0 unread", .. Enumerable.Range(1, RotationsWhileDown).Select(g => $"gen{g}")], run.Lines);
        Assert.Equal(0, run.Lost);
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ReadAsync_RotatedToDatedNamesWhileStopped_ReadsThemInOrder()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        var checkpoint = await ReadThenStopAsync(log, logger, "day0 read\n");
        File.AppendAllText(log, "day0 unread\n");
        for (var day = 1; day <= 3; day++)
        {
            File.Move(log, $"{log}-2026120{day}");
            File.WriteAllText(log, $"day{day}\n");
        }

        await using var run = await SourceRun.StartAsync(Source(log, logger), checkpoint);

        await run.WaitForAsync(4);
        await run.AssertStaysAtAsync(4);
        Assert.Equal(["day0 unread", "day1", "day2", "day3"], run.Lines);
        Assert.Equal(0, run.Lost);
    }

    [Fact]
    public async Task ReadAsync_CheckpointFileDeletedWhileStopped_LogsItOnceAndCountsOneGap()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        var checkpoint = await ReadThenStopAsync(log, logger, "read\n");
        File.AppendAllText(log, "unread, then deleted\n");
        File.Delete(log);
        File.WriteAllText(log, "new file\n");

        await using var run = await SourceRun.StartAsync(Source(log, logger), checkpoint);

        await run.WaitForAsync(1);
        await run.AssertStaysAtAsync(1);
        Assert.Equal(["new file"], run.Lines);
        Assert.Equal(1, run.Lost);
        var warning = Assert.Single(logger.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Contains(log, warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedMidFileWithNoCopy_LogsItOnceAndCountsOneGap()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        var options = new FileSourceOptions { MaxBatchLines = 1, ReadBufferBytes = 4096 };
        var source = FileLogSource.Create(log, options, TimeProvider.System, logger);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var batches = source.ReadAsync(null, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await batches.MoveNextAsync());
        File.AppendAllLines(log, Enumerable.Range(0, 1000).Select(i => $"old line {i:D4} that nobody will read to its end"));

        // The source reads one 4 KiB chunk per batch and reads on only when asked: it is in the
        // middle of the file when the file is truncated (compressed away, say) with no copy left.
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(0, batches.Current.Lost);
        File.WriteAllText(log, "new start\n");
        var lost = 0;
        var lines = new List<string>();
        while (!lines.Contains("new start") && await batches.MoveNextAsync())
        {
            lost += batches.Current.Lost;
            lines.AddRange(batches.Current.Lines);
        }

        Assert.Equal(["new start"], lines);
        Assert.Equal(1, lost);
        var warning = Assert.Single(logger.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Contains(log, warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NewFileDeletedBeforeTheWriterMovedOn_IsReadThroughItsHandle()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        await using var run = await SourceRun.StartAsync(Source(log, logger), null);
        await using var old = new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        old.Write("first file\n"u8);
        old.Flush();
        await run.WaitForAsync(1);

        // delete+recreate: the new file is empty while the writer still writes to the old one.
        File.Delete(log);
        File.WriteAllText(log, string.Empty);
        await Eventually.TrueAsync(() => logger.Lines.Any(l => l.EventId == 2003), TimeSpan.FromSeconds(10), "the reader saw the empty new file");
        old.Write("old file after the delete\n"u8);
        old.Flush();

        // The writer moves to the new file, and the next rotation deletes it at once.
        File.AppendAllText(log, "second file\n");
        File.Delete(log);
        File.WriteAllText(log, "third file\n");

        await run.WaitForAsync(4);
        await run.AssertStaysAtAsync(4);
        Assert.Equal(["first file", "old file after the delete", "second file", "third file"], run.Lines);
    }

    private static FileLogSource Source(string path, RecordingLogger logger) =>
        FileLogSource.Create(path, new FileSourceOptions(), TimeProvider.System, logger);

    private static async Task<string> ReadThenStopAsync(string log, RecordingLogger logger, string append)
    {
        await using var run = await SourceRun.StartAsync(Source(log, logger), null);
        File.AppendAllText(log, append);
        await run.WaitForAsync(1);
        return await run.StopAsync();
    }
}
