using System.Runtime.InteropServices;

namespace Warden.Core.Detections;

/// <summary>
/// The per-key state of a sliding window (failures per id, destinations per scanning source):
/// each entry remembers the time of its newest event and when it was last touched, entries
/// idle for the window are dropped by <see cref="EvictBefore"/>, and the number of entries is
/// capped. Shared by <see cref="FailureTracker"/> and <see cref="PortScanDetector"/>. Not
/// thread-safe (owned by the engine loop).
/// </summary>
/// <remarks>
/// At capacity (a flood of distinct keys) the stalest eighth is dropped in one pass, so the cost
/// is amortised to O(log n) per new key instead of a scan per key. "Stalest" orders by the newest
/// event time and, among equal times, by the last touch: syslog writes whole seconds, so a flood
/// gives most entries the same time, and dropping every entry of the stalest second would drop
/// them all, an attacker caught in the middle of its attempts included. Exactly the eighth goes.
/// </remarks>
internal sealed class RecentMap<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly Dictionary<TKey, Entry> _entries;
    private readonly int _capacity;
    private long _touches;

    // No entry's newest event is older than this (UTC ticks): a bound, kept by every new entry and
    // exact after each scan, so an eviction pass that can drop nothing costs nothing. A replay
    // of a week evicts 60,000 times.
    private long _oldest = long.MaxValue;

    public RecentMap(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _entries = new Dictionary<TKey, Entry>(comparer);
    }

    /// <summary>Entries held.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The value of <paramref name="key"/>, created by <paramref name="create"/> when absent (the
    /// stalest eighth is dropped first when the map is full); the entry's newest time becomes
    /// at least <paramref name="ticks"/> and it counts as the most recently touched.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="ticks">The event's time, UTC ticks.</param>
    /// <param name="create">Makes the value of a new key.</param>
    /// <param name="newest">The entry's newest event time after this one, UTC ticks.</param>
    public TValue Touch(TKey key, long ticks, Func<TValue> create, out long newest)
    {
        if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
        {
            DropStalest();
        }

        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out var exists);
        if (!exists)
        {
            entry.Value = create();
            entry.Newest = ticks;
            _oldest = Math.Min(_oldest, ticks);
        }

        entry.Newest = Math.Max(entry.Newest, ticks);
        entry.Touched = ++_touches;
        newest = entry.Newest;
        return entry.Value;
    }

    /// <summary>Every key with its value, in no particular order.</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries => _entries.Select(e => KeyValuePair.Create(e.Key, e.Value.Value));

    /// <summary>Forgets a key; true when it was held.</summary>
    public bool Remove(TKey key) => _entries.Remove(key);

    /// <summary>Drops every entry whose newest event is older than <paramref name="cutoffTicks"/>.</summary>
    /// <returns>How many entries were dropped.</returns>
    public int EvictBefore(long cutoffTicks)
    {
        if (cutoffTicks <= _oldest)
        {
            return 0;
        }

        var dropped = 0;
        var oldest = long.MaxValue;
        foreach (var (key, entry) in _entries)
        {
            if (entry.Newest < cutoffTicks)
            {
                _entries.Remove(key);
                dropped++;
            }
            else
            {
                oldest = Math.Min(oldest, entry.Newest);
            }
        }

        _oldest = oldest;

        if (dropped > _entries.Count)
        {
            // Mostly emptied after a flood: a dictionary keeps its largest size otherwise.
            _entries.TrimExcess();
        }

        return dropped;
    }

    private void DropStalest()
    {
        var count = _entries.Count;
        var newest = new long[count];
        var touched = new long[count];
        var i = 0;
        foreach (var entry in _entries.Values)
        {
            newest[i] = entry.Newest;
            touched[i] = entry.Touched;
            i++;
        }

        // The last entry to drop is the k-th stalest by (newest, touched); touches are unique.
        var k = Math.Max(1, count / 8);
        Array.Sort(newest, touched);
        var time = newest[k - 1];
        var first = Array.IndexOf(newest, time);
        var last = Array.LastIndexOf(newest, time);
        Array.Sort(touched, first, last - first + 1);
        var touch = touched[k - 1];
        foreach (var (key, entry) in _entries)
        {
            if (entry.Newest < time || (entry.Newest == time && entry.Touched <= touch))
            {
                _entries.Remove(key);
            }
        }
    }

    private struct Entry
    {
        public TValue Value;
        public long Newest;
        public long Touched;
    }
}
