using System.Collections.Concurrent;

namespace Warden.Core.Fleet;

/// <summary>
/// Counters of the fleet: entries applied and dropped (by reason), entries published, and when
/// each peer was last heard from. Written by the fleet loop, read by status from any thread.
/// </summary>
public sealed class FleetStats
{
    private readonly long[] _dropped = new long[Enum.GetValues<FleetDrop>().Length];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastHeard = new(StringComparer.Ordinal);
    private long _applied;
    private long _published;

    /// <summary>Entries applied.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Own decisions written to the bus.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Entries dropped for <paramref name="reason"/>.</summary>
    public long Dropped(FleetDrop reason) => Interlocked.Read(ref _dropped[(int)reason]);

    /// <summary>Entries dropped because they were not what a trusted peer signed (malformed, unsigned, unknown origin, forged, replayed).</summary>
    public long Rejected =>
        Dropped(FleetDrop.Malformed) + Dropped(FleetDrop.NoSignature) + Dropped(FleetDrop.UnknownOrigin) + Dropped(FleetDrop.Forged) + Dropped(FleetDrop.Replayed);

    /// <summary>
    /// Entries handled so far: published, applied or dropped. It moves whenever the fleet works
    /// (a burst of own bans being published, a peer's being applied), which the daemon's memory
    /// policy waits out before it compacts.
    /// </summary>
    public long Handled
    {
        get
        {
            var total = Published + Applied;
            for (var i = 0; i < _dropped.Length; i++)
            {
                total += Interlocked.Read(ref _dropped[i]);
            }

            return total;
        }
    }

    /// <summary>When each peer's last valid entry arrived.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastHeard => _lastHeard;

    internal void AddApplied() => Interlocked.Increment(ref _applied);

    /// <summary>Counts own entries written.</summary>
    public void AddPublished(int count) => Interlocked.Add(ref _published, count);

    /// <summary>Counts a drop.</summary>
    public void AddDropped(FleetDrop reason) => Interlocked.Increment(ref _dropped[(int)reason]);

    internal void Heard(string node, DateTimeOffset at) => _lastHeard[node] = at;
}
