using Microsoft.Extensions.Logging;
using Warden.Core.Engine;

namespace Warden.Cli.Hosting;

/// <summary>
/// The daemon's memory policy (the engine has none): a burst (a restore of many bans, a flood of
/// failing addresses that findtime later evicts) leaves garbage an idle daemon may not collect
/// for hours, hundreds of MB resident for a million addresses. From its own thread, this reads
/// the engine's counters once started and then every <see cref="Interval"/>; when the daemon is
/// quiet (no line read and no fleet entry handled since the last look) after at least
/// <see cref="Churn"/> bans imposed or applied, trackers evicted or fleet entries handled, it runs
/// one blocking compacting collection, which hands the memory back. A busy daemon is never quiet,
/// so this never stalls banning during the flood itself. The fleet counts because a burst of own
/// bans is published after the jail made them: compacting in between left the publishing's
/// garbage resident (82 MB instead of 47 after 10,000 bans, bench fleet).
/// </summary>
internal static partial class MemoryCompaction
{
    /// <summary>How often the counters are read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Bans and evictions since the last compaction that make the next quiet look compact.</summary>
    public const long Churn = 10_000;

    /// <summary>Live managed bytes after a compaction above which one more follows (an idle daemon with 100,000 bans holds about 7 MiB).</summary>
    public const long RetryAbove = 16L << 20;

    /// <summary>Looks (seconds) between a compaction that left much live and its retry.</summary>
    public const int RetryLooks = 3;

    /// <summary>Watches <paramref name="engine"/> until cancelled (returns at once when the engine never starts).</summary>
    /// <param name="engine">The engine whose counters say when it is busy.</param>
    /// <param name="fleetEntries">The fleet's entries handled so far (<c>null</c>: no fleet).</param>
    /// <param name="time">The clock of the looks.</param>
    /// <param name="log">Where compactions are logged.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    public static async Task RunAsync(BanEngine engine, Func<long>? fleetEntries, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Started.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The engine failed to start; its own caller reports why.
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var watch = new Watch(engine, fleetEntries);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (watch.Due())
                {
                    var before = GC.GetTotalMemory(false);
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    var after = GC.GetTotalMemory(false);
                    Log.Compacted(log, before / 1048576.0, after / 1048576.0);
                    watch.Compacted(after);
                }

                await Task.Delay(Interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The counters as last seen; says when a compaction is due.</summary>
    internal sealed class Watch(BanEngine engine, Func<long>? fleetEntries = null)
    {
        // Sources start being read when the engine has started: the first look sees 0 unless a backlog is being read.
        private long _lines;
        private long _fleet;
        private long _churnAtCompaction;
        private int _retryIn = -1;
        private bool _retrying;

        /// <summary>
        /// True once the engine is quiet after enough churn (the churn then counts from here), or
        /// for the one retry a compaction that left much live asked for.
        /// </summary>
        public bool Due()
        {
            var lines = engine.Stats.Lines;
            var fleet = fleetEntries?.Invoke() ?? 0;
            var churn = Churned(engine) + fleet;
            var quiet = lines == _lines && fleet == _fleet;
            _lines = lines;
            _fleet = fleet;
            if (_retryIn > 0)
            {
                _retryIn--;
            }

            if (quiet && _retryIn == 0)
            {
                _retryIn = -1;
                _retrying = true;
                return true;
            }

            if (!quiet || churn - _churnAtCompaction < Churn)
            {
                return false;
            }

            _churnAtCompaction = churn;
            return true;
        }

        /// <summary>
        /// After a compaction: when it left more than <see cref="RetryAbove"/> live, the burst's
        /// last lists were probably still referenced at that moment (a restore's whole-state apply
        /// just ending), so one more compaction is due <see cref="RetryLooks"/> looks later.
        /// </summary>
        public void Compacted(long liveBytes)
        {
            // Once per burst: a heap that really holds that much (a million bans) is left alone.
            _retryIn = !_retrying && liveBytes > RetryAbove ? RetryLooks : -1;
            _retrying = false;
        }

        private static long Churned(BanEngine engine) =>
            engine.Stats.BansApplied + engine.Stats.Evicted + engine.Jails.Sum(j => j.Stats.Bans);
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Debug, "Memory compacted after a burst: managed heap {Before:F1} MiB -> {After:F1} MiB")]
        public static partial void Compacted(ILogger logger, double before, double after);
    }
}
