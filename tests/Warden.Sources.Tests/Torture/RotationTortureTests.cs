using System.Diagnostics;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// The rotation torture of issue 6: a writer appends as fast as it can while its log is rotated
/// 1,000 times in all (250 per style: rename+create, copytruncate, a re-pointed symlink,
/// delete+recreate); Warden's engine reads it through a real file source, and is crashed and
/// restarted from its last committed checkpoint every 50 rotations (with one more rotation while
/// it is down). Afterwards every failure line must have been counted exactly once.
/// <c>WARDEN_TORTURE_ROTATIONS</c> sets the rotations per style for longer runs by hand.
/// </summary>
public sealed class RotationTortureTests(ITestOutputHelper output) : IDisposable
{
    private const int RestartEvery = 50;
    private static readonly int Rotations = int.Parse(Environment.GetEnvironmentVariable("WARDEN_TORTURE_ROTATIONS") ?? "250");
    private readonly TempDirectory _dir = new("warden-torture");

    public void Dispose() => _dir.Dispose();

    /// <param name="style">How the log is rotated.</param>
    /// <param name="lag">
    /// How many generations the reader may fall behind before the next rotation waits for it.
    /// Rename and copytruncate keep 5 generations, so 3 behind (4 across a crash) is still
    /// readable. A deleted file, or a former symlink target that nothing lists, can be finished
    /// only if it was opened before it went, so those wait until the reader is in the newest one.
    /// </param>
    /// <param name="restarts">
    /// Crash restarts; not for delete+recreate, where a file deleted while Warden is down is gone
    /// with its unread lines, whatever Warden does.
    /// </param>
    [Theory]
    [InlineData(RotationStyle.RenameCreate, 3, true)]
    [InlineData(RotationStyle.CopyTruncate, 3, true)]
    [InlineData(RotationStyle.Symlink, 0, true)]
    [InlineData(RotationStyle.DeleteRecreate, 0, false)]
    public async Task Engine_RotationsAndRestarts_CountsEveryFailureOnce(RotationStyle style, int lag, bool restarts)
    {
        var path = _dir.File("app.log");
        var store = new FakeStateStore();
        var log = new ListLogger();
        using var writer = new TortureWriter(path, style, () => store.Max(Sequence));
        var clock = Stopwatch.StartNew();
        var daemon = TortureDaemon.Start(path, store, log);
        var crashes = 0;
        try
        {
            await Eventually.TrueAsync(() => store.Checkpoints > 0, TimeSpan.FromSeconds(10), "the first checkpoint");
            writer.Start();
            for (var rotation = 1; rotation <= Rotations; rotation++)
            {
                await GateAsync(rotation);
                writer.Rotate();
                if (restarts && rotation % RestartEvery == 0)
                {
                    await GateAsync(rotation);
                    store.Die();
                    await daemon.DisposeAsync();
                    writer.Rotate();
                    store.Revive();
                    daemon = TortureDaemon.Start(path, store, log);
                    crashes++;
                }
            }

            var written = writer.Stop();
            var expected = Enumerable.Range(0, (int)written).Where(s => SequenceFilter.IsFailure(s)).Select(s => (long)s).ToList();
            var settle = Stopwatch.StartNew();
            while (store.FailureCount < expected.Count && settle.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            await Task.Delay(300);
            var counted = store.Failures.Select(Sequence).ToList();
            if (expected.Except(counted).FirstOrDefault(-1) is var firstMissing and >= 0)
            {
                output.WriteLine($"first missing {firstMissing}; generations around it start at {string.Join(' ', writer.Starts.Where(s => Math.Abs(s - firstMissing) < 5000))}");
            }

            if (Environment.GetEnvironmentVariable("WARDEN_TORTURE_LOG") is { } dump)
            {
                File.WriteAllLines(dump, log.Entries);
            }

            output.WriteLine($"{style}: {Rotations} rotations, {crashes} crash restarts, {written} lines, {expected.Count} failures, {counted.Count} counted, {clock.Elapsed.TotalSeconds:F1} s, {written / clock.Elapsed.TotalSeconds:F0} lines/s");
            Assert.Empty(counted.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).Take(10));
            Assert.Empty(expected.Except(counted).Take(10));
            Assert.Equal(expected.Count, counted.Count);
        }
        catch
        {
            output.WriteLine($"written {writer.Written}, generation starts {string.Join(' ', writer.Starts.TakeLast(6))}, counted up to {store.Max(Sequence)}, checkpoint {store.CheckpointText}");
            foreach (var entry in log.Entries.TakeLast(60))
            {
                output.WriteLine(entry);
            }

            throw;
        }
        finally
        {
            await daemon.DisposeAsync();
        }

        async Task GateAsync(int rotation)
        {
            // Polled every millisecond, not Eventually's 100 ms: the rotations are the load.
            var deadline = Stopwatch.StartNew();
            while (writer.Written - writer.CurrentStart < 10 || store.Max(Sequence) < writer.StartOf(lag))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"reader not within {lag} generations before rotation {rotation}");
                }

                await Task.Delay(1);
            }
        }
    }

    private static long Sequence(Core.Ports.StoredFailure failure) => SequenceFilter.Sequence(failure.Address!);
}
