namespace Warden.Core.Engine;

/// <summary>
/// Memory: a burst of bans (a restore, a flood through the logs) leaves garbage behind (the
/// loaded rows, each ban's objects, the firewall's transaction text). An idle daemon may not
/// collect again for hours, so after a large burst it is collected and compacted at once, and
/// a daemon holding 100,000 bans stays near the size of its compact ban book. The loop asks
/// whenever its inbox runs empty, so a flood is compacted at most once per <c>LargeBurst</c>
/// bans; the flood's tail is compacted at the first tick with no new line.
/// </summary>
public sealed partial class Engine
{
    // Bans imposed or applied since the last compaction beyond which the next chance compacts.
    private const int LargeBurst = 10_000;

    private int _bansSinceCompaction;
    private bool _burstTailDue;
    private long _linesAtLastTick;

    private async ValueTask CompactAfterBurstAsync()
    {
        if (_bansSinceCompaction >= LargeBurst)
        {
            _burstTailDue = true;
            await CompactAsync();
        }
    }

    private async ValueTask CompactBurstTailAsync()
    {
        var lines = Stats.Lines;
        var quiet = lines == _linesAtLastTick;
        _linesAtLastTick = lines;
        if (quiet && _burstTailDue)
        {
            _burstTailDue = false;
            if (_bansSinceCompaction > 0)
            {
                await CompactAsync();
            }
        }
    }

    private async ValueTask CompactAsync()
    {
        _bansSinceCompaction = 0;
        // A completed await may resume us synchronously on the stack of the method that
        // finished (the firewall's apply), whose locals still hold the burst's objects: yield
        // first, so that stack is gone and the collection finds them dead.
        await Task.Yield();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
