using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Warden.Core.Ports;
using Warden.Sources.Files;
using Warden.TestKit;

namespace Warden.Sources.Tests.Files;

/// <summary>
/// Issue 14, finding 2: logrotate's <c>copytruncate</c> with <c>compress</c> and
/// <c>delaycompress</c> compresses a generation's copy (<c>.1</c>) at the rotation after the one
/// that made it. A reader more than one rotation behind, or restarted after several, finds the rest
/// of what it was reading in the compressed file and reads it, then every newer generation: every
/// line once, no gap. What really is gone is counted once.
/// </summary>
public sealed class FileLogSourceCompressedTests : IDisposable
{
    private const int LinesPerGeneration = 400;
    private readonly TempDirectory _dir = new("warden-gz");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task ReadAsync_RotatedManyTimesInTheMiddleOfAFile_ReadsTheCompressedRestAndEveryNewerGeneration(int rotations)
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        await using var reader = new BatchReader(Source(log, logger));
        await reader.NextAsync();
        var expected = Generation(log, 0);

        // One 4 KiB chunk per batch: the reader is in the middle of generation 0 when the
        // rotations come, and has read none of the generations they make.
        var seen = await reader.NextAsync();
        Assert.NotEmpty(seen);
        for (var g = 1; g <= rotations; g++)
        {
            Rotate(log);
            expected.AddRange(Generation(log, g));
        }

        seen.AddRange(await reader.UntilAsync(expected[^1]));

        Assert.Equal(expected, seen);
        Assert.Equal(0, reader.Lost);
        Assert.True(File.Exists(log + ".2.gz"), "the copy the reader was in is compressed");
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ReadAsync_RotatedTwiceBeforeTheEmptyLiveFileIsRead_ReadsTheCompressedGenerationFirst()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        await using var reader = new BatchReader(Source(log, logger));
        await reader.NextAsync();
        var first = Generation(log, 0);
        await reader.UntilAsync(first[^1]);

        // Caught up when the rotation comes: the copy holds nothing unread, the live file is empty.
        Rotate(log);
        Assert.Empty(await reader.NextAsync());
        var expected = new List<string>();
        for (var g = 1; g <= 2; g++)
        {
            expected.AddRange(Generation(log, g));
            Rotate(log);
        }

        expected.AddRange(Generation(log, 3));
        var seen = await reader.UntilAsync(expected[^1]);

        Assert.Equal(expected, seen);
        Assert.Equal(0, reader.Lost);
        Assert.True(File.Exists(log + ".2.gz"), "generation 1 is compressed before the live file's first read");
    }

    [Fact]
    public async Task ReadAsync_RenamedAndCompressedAtOnce_ReadsTheNewFileOnce()
    {
        // logrotate's compress without delaycompress: the log renamed to .1, a new one created,
        // .1 compressed to .1.gz and unlinked, all before the writer writes again.
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        var options = new FileSourceOptions { RotateWait = TimeSpan.FromMilliseconds(200) };
        await using var run = await SourceRun.StartAsync(FileLogSource.Create(log, options, TimeProvider.System, logger), null);
        var expected = Generation(log, 0);
        await run.WaitForAsync(expected.Count);
        File.Move(log, log + ".1");
        File.WriteAllText(log, string.Empty);
        await Eventually.TrueAsync(() => logger.Lines.Any(l => l.EventId == 2004), TimeSpan.FromSeconds(10), "the reader left the renamed file");
        using (var source = File.OpenRead(log + ".1"))
        using (var target = new GZipStream(File.Create(log + ".1.gz"), CompressionLevel.Fastest))
        {
            source.CopyTo(target);
        }

        File.Delete(log + ".1");
        await run.AssertStaysAtAsync(expected.Count);
        expected.AddRange(Generation(log, 1));

        await run.WaitForAsync(expected.Count);
        await run.AssertStaysAtAsync(expected.Count);
        Assert.Equal(expected, run.Lines);
        Assert.Equal(0, run.Lost);
    }

    [Fact]
    public async Task ReadAsync_RotatedTwiceWhileStopped_ResumesInTheCompressedGeneration()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        string checkpoint;
        await using (var first = await SourceRun.StartAsync(Source(log, logger), null))
        {
            File.AppendAllText(log, "gen0 read\n");
            await first.WaitForAsync(1);
            checkpoint = await first.StopAsync();
        }

        var expected = Generation(log, 0);
        for (var g = 1; g <= 2; g++)
        {
            Rotate(log);
            expected.AddRange(Generation(log, g));
        }

        await using var run = await SourceRun.StartAsync(Source(log, logger), checkpoint);

        await run.WaitForAsync(expected.Count);
        await run.AssertStaysAtAsync(expected.Count);
        Assert.Equal(expected, run.Lines);
        Assert.Equal(0, run.Lost);
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ReadAsync_CompressedRestDeletedBeforeItIsRead_CountsOneGapAndReadsTheNewerCopies()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        await using var reader = new BatchReader(Source(log, logger));
        await reader.NextAsync();
        Generation(log, 0);
        var seen = await reader.NextAsync();
        Rotate(log);
        var expected = Generation(log, 1);
        Rotate(log);

        // More rotations than logrotate keeps: the generation the reader was in is gone.
        File.Delete(log + ".2.gz");
        expected.AddRange(Generation(log, 2));
        var rest = await reader.UntilAsync(expected[^1]);

        Assert.Equal(expected, rest);
        Assert.Equal(1, reader.Lost);
        var warning = Assert.Single(logger.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Contains(log, warning.Text, StringComparison.Ordinal);
        Assert.NotEmpty(seen);
    }

    [Fact]
    public async Task ReadAsync_RotatedAwayBeforeTheFirstRead_ReadsOnlyGenerationsMadeSinceTheStart()
    {
        // A generation from before Warden's first start (an old dated name) and a log it starts
        // at the end of; more rotations than logrotate keeps come before its first read.
        var log = _dir.Write("auth.log", "before the start\n");
        var leftover = _dir.Write("auth.log-20260101", "an old generation, read long ago\n");
        File.SetLastWriteTimeUtc(leftover, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var logger = new RecordingLogger();
        await using var reader = new BatchReader(Source(log, logger));
        await reader.NextAsync();
        Generation(log, 0);
        var expected = new List<string>();
        for (var g = 1; g <= 6; g++)
        {
            Rotate(log);
            expected.AddRange(Generation(log, g));
        }

        var seen = await reader.UntilAsync(expected[^1]);

        Assert.Equal(expected, seen);
        Assert.Equal(1, reader.Lost);
    }

    [Fact]
    public async Task ReadAsync_CompressionStillRunning_ReadsThePlainFileOnce()
    {
        var log = _dir.Write("auth.log", string.Empty);
        var logger = new RecordingLogger();
        await using var reader = new BatchReader(Source(log, logger));
        await reader.NextAsync();
        var expected = Generation(log, 0);
        var seen = await reader.NextAsync();
        Rotate(log);
        expected.AddRange(Generation(log, 1));

        // logrotate between writing .2.gz and unlinking .2: half a gzip stream beside the plain file.
        Rotate(log, unlinkPlain: false);
        var gz = log + ".2.gz";
        var whole = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, whole[..(whole.Length / 2)]);
        expected.AddRange(Generation(log, 2));
        seen.AddRange(await reader.UntilAsync(expected[^1]));

        Assert.Equal(expected, seen);
        Assert.Equal(0, reader.Lost);
    }

    private static FileLogSource Source(string path, RecordingLogger logger) =>
        FileLogSource.Create(path, new FileSourceOptions { MaxBatchLines = 1, ReadBufferBytes = 4096 }, TimeProvider.System, logger);

    // Appends a generation's lines to the live file and returns them.
    private static List<string> Generation(string log, int g)
    {
        var lines = Enumerable.Range(0, LinesPerGeneration).Select(i => $"gen{g} line {i:D4} of a generation logrotate will copy").ToList();
        File.AppendAllLines(log, lines);
        return lines;
    }

    /// <summary>
    /// What logrotate does with <c>rotate 5</c>, <c>copytruncate</c>, <c>compress</c>,
    /// <c>delaycompress</c>: shift the compressed generations, rename <c>.1</c> to <c>.2</c>, copy
    /// the log to <c>.1</c> and truncate it, compress <c>.2</c> to <c>.2.gz</c> (keeping its
    /// modification time) and unlink <c>.2</c>.
    /// </summary>
    private static void Rotate(string log, bool unlinkPlain = true)
    {
        File.Delete(log + ".5.gz");
        for (var i = 4; i >= 2; i--)
        {
            if (File.Exists($"{log}.{i}.gz"))
            {
                File.Move($"{log}.{i}.gz", $"{log}.{i + 1}.gz");
            }
        }

        if (File.Exists(log + ".1"))
        {
            File.Move(log + ".1", log + ".2");
        }

        File.Copy(log, log + ".1");
        using (var truncate = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            truncate.SetLength(0);
        }

        File.SetLastWriteTimeUtc(log + ".1", DateTime.UtcNow);
        var plain = log + ".2";
        if (!File.Exists(plain))
        {
            return;
        }

        using (var source = File.OpenRead(plain))
        using (var target = new GZipStream(File.Create(plain + ".gz"), CompressionLevel.Fastest))
        {
            source.CopyTo(target);
        }

        File.SetLastWriteTimeUtc(plain + ".gz", File.GetLastWriteTimeUtc(plain));
        if (unlinkPlain)
        {
            File.Delete(plain);
        }
    }

    /// <summary>Reads a source one batch at a time, only when asked, so a test decides where the reader stands.</summary>
    private sealed class BatchReader(FileLogSource source) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
        private IAsyncEnumerator<LogBatch>? _batches;

        public int Lost { get; private set; }

        public async Task<List<string>> NextAsync()
        {
            _batches ??= source.ReadAsync(null, _stop.Token).GetAsyncEnumerator(_stop.Token);
            Assert.True(await _batches.MoveNextAsync(), "a batch");
            Lost += _batches.Current.Lost;
            return [.. _batches.Current.Lines];
        }

        public async Task<List<string>> UntilAsync(string last)
        {
            var lines = new List<string>();
            while (!lines.Contains(last))
            {
                lines.AddRange(await NextAsync());
            }

            return lines;
        }

        public async ValueTask DisposeAsync()
        {
            if (_batches is not null)
            {
                await _stop.CancelAsync();
                try
                {
                    await _batches.DisposeAsync();
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            }

            _stop.Dispose();
        }
    }
}
