using System.Diagnostics;
using Warden.Sources.Files;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// Issue 14, finding 2: a writer that never waits for the reader, rotated every few hundred lines
/// with every generation kept, read by a <see cref="FileLogSource"/> as the daemon reads it.
/// Whatever is still on disk (or still open) must arrive exactly once, however far the reader
/// falls behind. Unlike <see cref="RotationTortureTests"/>, nothing here paces the writer by the
/// reader's progress: every fifth rotation follows the one before at once, before the writer
/// reopened, and every fiftieth the reader is stopped between two batches (as a crash after a
/// commit) and resumed from its checkpoint, with one more rotation while it is down.
/// </summary>
public sealed class UnpacedRotationTests(ITestOutputHelper output) : IDisposable
{
    // WARDEN_TORTURE_ROTATIONS=1500 makes a loss that 300 rotations show rarely show most runs.
    private static readonly int Rotations = int.TryParse(Environment.GetEnvironmentVariable("WARDEN_TORTURE_ROTATIONS"), out var n) ? n : 300;
    private const int LinesPerGeneration = 300;
    private const int MaxLines = 4_000_000;
    private const int RestartEvery = 50;
    private readonly TempDirectory _dir = new("warden-unpaced");

    public void Dispose() => _dir.Dispose();

    /// <param name="style">
    /// How the log is rotated. Renamed and copied generations stay on disk, so the rotations
    /// never wait for anything but the writer's next few hundred lines. A deleted file can be
    /// finished only through a handle opened before it went: delete+recreate rotates again only
    /// once the reader has a line of the current file, which is when its data is still there.
    /// </param>
    [Theory]
    [InlineData(RotationStyle.RenameCreate)]
    [InlineData(RotationStyle.CopyTruncate)]
    [InlineData(RotationStyle.DeleteRecreate)]
    public async Task ReadAsync_WriterNeverWaits_DeliversEveryLineOnce(RotationStyle style)
    {
        var path = _dir.File("auth.log");
        var log = new ListLogger();
        using var writer = new UnpacedWriter(path, style, MaxLines);
        await using var reader = new SequenceReader(FileLogSource.Create(path, new FileSourceOptions(), TimeProvider.System, log), MaxLines + 1);
        await Eventually.TrueAsync(() => reader.Started, TimeSpan.FromSeconds(10), "the first batch");
        var clock = Stopwatch.StartNew();
        writer.Start();
        try
        {
            var rotatedAt = 0L;
            var restarts = 0;
            for (var rotation = 1; rotation <= Rotations; rotation++)
            {
                var since = rotatedAt;
                var pace = rotation % 5 == 0 && style != RotationStyle.DeleteRecreate ? 0 : LinesPerGeneration;
                await UntilAsync(() => writer.Written - since >= pace, $"{pace} lines before rotation {rotation}");
                if (style == RotationStyle.DeleteRecreate)
                {
                    await UntilAsync(() => reader.Max >= writer.CurrentStart || reader.Faulted, $"the reader in the current file before rotation {rotation}");
                }

                if (rotation % RestartEvery == 0 && style == RotationStyle.DeleteRecreate)
                {
                    // The reader is in the file at the path: resuming there loses nothing.
                    await reader.RestartAsync(() => { });
                    await UntilAsync(() => reader.Started, "the first batch after the restart");
                    restarts++;
                }

                rotatedAt = writer.Rotate();
                if (rotation % RestartEvery == 0 && style != RotationStyle.DeleteRecreate)
                {
                    await reader.RestartAsync(() => rotatedAt = writer.Rotate());
                    output.WriteLine($"restarted at {reader.Max} from {reader.Checkpoint}");
                    restarts++;
                }
            }

            var total = writer.Stop();
            await UntilAsync(() => reader.CountOf(total - 1) > 0 || reader.Faulted, "the last line");
            if (reader.Faulted)
            {
                await reader.StopAsync();
            }

            var missing = Enumerable.Range(0, (int)total).Where(s => reader.CountOf(s) == 0).ToList();
            var doubled = Enumerable.Range(0, (int)total).Where(s => reader.CountOf(s) > 1).ToList();
            output.WriteLine($"{style}: {Rotations} rotations, {restarts} restarts, {total} lines in {clock.Elapsed.TotalSeconds:F1} s; {missing.Count} missing, {doubled.Count} doubled, {reader.Garbled} garbled, {reader.Lost} gaps reported");
            if (missing.Count > 0)
            {
                var starts = writer.Starts;
                output.WriteLine($"missing: {Ranges(missing)}");
                output.WriteLine($"generations missed (first seq): {string.Join(' ', starts.Where(s => missing.BinarySearch((int)s) >= 0).Take(20))}");
            }

            if (doubled.Count > 0)
            {
                output.WriteLine($"doubled: {Ranges(doubled)}");
            }

            Assert.Empty(missing.Take(20));
            Assert.Empty(doubled.Take(20));
            Assert.Equal(0, reader.Garbled);
            Assert.Equal(0, reader.Lost);
        }
        catch
        {
            output.WriteLine($"written {writer.Written}, read up to {reader.Max}, checkpoint {reader.Checkpoint}");
            if (Environment.GetEnvironmentVariable("WARDEN_TORTURE_LOG") is { } dump)
            {
                File.WriteAllLines(dump, log.Entries);
                File.WriteAllLines(dump + ".inodes", writer.Inodes);
            }

            foreach (var entry in log.Entries.TakeLast(40))
            {
                output.WriteLine(entry);
            }

            throw;
        }
    }

    internal static string Ranges(List<int> seqs)
    {
        var ranges = new List<string>();
        for (var i = 0; i < seqs.Count && ranges.Count < 20;)
        {
            var j = i;
            while (j + 1 < seqs.Count && seqs[j + 1] == seqs[j] + 1)
            {
                j++;
            }

            ranges.Add($"{seqs[i]}-{seqs[j]}");
            i = j + 1;
        }

        return string.Join(' ', ranges);
    }

    // Polled every millisecond, not Eventually's 100 ms: the rotations are the load.
    internal static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"not within 30 s: {what}");
            }

            await Task.Delay(1);
        }
    }
}
