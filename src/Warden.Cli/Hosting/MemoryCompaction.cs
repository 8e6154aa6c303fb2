using Microsoft.Extensions.Logging;
using Warden.Core.Engine;

namespace Warden.Cli.Hosting;

/// <summary>
/// The daemon's memory policy (the engine has none): a burst (a restore of many bans, a flood of
/// failing addresses that findtime later evicts) leaves garbage an idle daemon may not collect
/// for hours, hundreds of MB resident for a million addresses. From its own thread, this reads
/// the engine's counters once started and then every <see cref="Interval"/>; when the daemon is
/// quiet (no line read since the last look) after at least <see cref="Churn"/> bans imposed or
/// applied or trackers evicted, it runs one blocking compacting collection, which hands the memory
/// back. A busy daemon is never quiet, so this never stalls banning during the flood itself.
/// </summary>
internal static partial class MemoryCompaction
{
    /// <summary>How often the counters are read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Bans and evictions since the last compaction that make the next quiet look compact.</summary>
    public const long Churn = 10_000;

    /// <summary>Watches <paramref name="engine"/> until cancelled (returns at once when the engine never starts).</summary>
    public static async Task RunAsync(BanEngine engine, TimeProvider time, ILogger log, CancellationToken cancellationToken)
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

        var watch = new Watch(engine);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (watch.Due())
                {
                    var before = GC.GetTotalMemory(false);
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    Log.Compacted(log, before / 1048576.0, GC.GetTotalMemory(false) / 1048576.0);
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
    internal sealed class Watch(BanEngine engine)
    {
        // Sources start being read when the engine has started: the first look sees 0 unless a backlog is being read.
        private long _lines;
        private long _churnAtCompaction;

        /// <summary>True once the engine is quiet after enough churn; the churn then counts from here.</summary>
        public bool Due()
        {
            var lines = engine.Stats.Lines;
            var churn = Churned(engine);
            var quiet = lines == _lines;
            _lines = lines;
            if (!quiet || churn - _churnAtCompaction < Churn)
            {
                return false;
            }

            _churnAtCompaction = churn;
            return true;
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
