using System.Net;

namespace Warden.Core.Bans;

/// <summary>
/// The bans in force, per jail and target: the daemon's own answer to "is this banned", so no
/// firewall query is needed per event (an <c>nft get element</c> costs O(set size)). Not
/// thread-safe; owned by the engine loop.
/// </summary>
/// <remarks>
/// Bans are held as plain structs (<see cref="BanTable"/>: about 44 bytes an IPv4 ban with the
/// dictionary's own overhead, no object per ban), so 100,000 bans cost about 4.5 MB
/// and nothing the GC has to trace; a <see cref="Ban"/> is made only when one is asked for.
/// Such a ban equals the one put (times come back as UTC). Its log lines and captures
/// (<see cref="Ban.Matches"/>, <see cref="Ban.Fields"/>) are kept only when
/// <see cref="Put(Ban, bool)"/> is told to: only command actions use them. Of
/// <see cref="Ban.By"/> only a fleet ban's origin node is kept (whose tombstone may lift it), for
/// the first 255 node names seen; other bans come back without it.
/// </remarks>
public sealed class BanBook
{
    private readonly BanTable _bans = new();
    private readonly Dictionary<BanKey, (IReadOnlyList<string> Matches, IReadOnlyDictionary<string, string> Fields)> _details = [];
    private readonly List<string> _jailNames = [];
    private readonly Dictionary<string, int> _jails = new(StringComparer.Ordinal);
    private readonly List<string> _nodeNames = [];
    private readonly Dictionary<string, byte> _nodes = new(StringComparer.Ordinal);

    // Bans per jail index, kept as bans come and go, so the metrics need no pass over the table.
    private int[] _perJail = new int[4];

    // Prefix lengths ever used by a ban, per family, so a lookup probes a handful of networks.
    private readonly SortedSet<int> _v4Prefixes = [];
    private readonly SortedSet<int> _v6Prefixes = [];

    // No ban ends before this (UTC ticks), so the engine's and the replay's expiry ticks cost
    // nothing until one can: a replay of a week ticks 60,000 times.
    private long _earliestExpiry = long.MaxValue;

    /// <summary>Bans held.</summary>
    public int Count => _bans.Count;

    /// <summary>All bans held, in no particular order, each made on demand (do not change the book while enumerating).</summary>
    public IEnumerable<Ban> All
    {
        get
        {
            foreach (var (key, slot) in _bans.Entries)
            {
                yield return Materialize(key, slot);
            }
        }
    }

    /// <summary>Makes room for <paramref name="count"/> IPv4 bans at once (a restore), instead of growing up to them.</summary>
    public void EnsureCapacity(int count) => _bans.EnsureCapacity(count, 0);

    /// <summary>Makes room for <paramref name="v4"/> IPv4 and <paramref name="v6"/> IPv6 bans at once (a restore).</summary>
    public void EnsureCapacity(int v4, int v6) => _bans.EnsureCapacity(v4, v6);

    /// <summary>The ban of <paramref name="target"/> in <paramref name="jail"/>, if any.</summary>
    public Ban? Find(string jail, IPNetwork target) =>
        TryKey(jail, target, out var key) && _bans.TryGetValue(key, out var slot) ? Materialize(key, slot) : null;

    /// <summary>True when the jail has a ban in force at <paramref name="now"/> that contains the address.</summary>
    public bool IsBanned(string jail, IPAddress address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_jails.TryGetValue(jail, out var index))
        {
            return false;
        }

        var (number, v6) = BanKey.NumberOf(address);
        var nowTicks = now.UtcTicks;
        foreach (var prefix in v6 ? _v6Prefixes : _v4Prefixes)
        {
            if (_bans.TryGetValue(BanKey.Of(index, number, v6, prefix), out var slot) && slot.IsActiveAt(nowTicks))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The jail's bans whose target lies strictly inside <paramref name="network"/> (a prefix ban
    /// replaces them). A scan of every ban: prefix bans are rare, so this is cheap enough.
    /// </summary>
    public IReadOnlyList<Ban> Covered(string jail, IPNetwork network)
    {
        var covered = new List<Ban>();
        if (TryKey(jail, network, out var outer))
        {
            foreach (var (key, slot) in _bans.Entries)
            {
                if (key.Jail == outer.Jail && key.PrefixLength > outer.PrefixLength && outer.Contains(key))
                {
                    covered.Add(Materialize(key, slot));
                }
            }
        }

        return covered;
    }

    /// <summary>Every ban, of any jail, whose target shares at least one address with <paramref name="network"/>.</summary>
    public IReadOnlyList<Ban> Overlapping(IPNetwork network)
    {
        var probe = BanKey.Of(0, network);
        var overlapping = new List<Ban>();
        foreach (var (key, slot) in _bans.Entries)
        {
            if (key.Overlaps(probe))
            {
                overlapping.Add(Materialize(key, slot));
            }
        }

        return overlapping;
    }

    /// <summary>Bans of <paramref name="jail"/> in the book, expired ones not yet taken included; O(1).</summary>
    public int CountOf(string jail) => _jails.TryGetValue(jail, out var index) ? _perJail[index] : 0;

    /// <summary>Bans in force at <paramref name="now"/>, counted per jail (jails without one are absent).</summary>
    public Dictionary<string, int> CountActive(DateTimeOffset now)
    {
        var counts = new int[_jailNames.Count];
        var nowTicks = now.UtcTicks;
        foreach (var (key, slot) in _bans.Entries)
        {
            if (slot.IsActiveAt(nowTicks))
            {
                counts[key.Jail]++;
            }
        }

        var byJail = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                byJail[_jailNames[i]] = counts[i];
            }
        }

        return byJail;
    }

    /// <summary>Adds or replaces the ban of the same jail and target, without its log lines and captures.</summary>
    public void Put(Ban ban) => Put(ban, keepDetails: false);

    /// <summary>
    /// Adds or replaces the ban of the same jail and target; with <paramref name="keepDetails"/>
    /// its <see cref="Ban.Matches"/> and <see cref="Ban.Fields"/> are kept too (a jail whose
    /// command actions use them at unban).
    /// </summary>
    public void Put(Ban ban, bool keepDetails)
    {
        ArgumentNullException.ThrowIfNull(ban);
        var key = BanKey.Of(JailIndex(ban.Jail), ban.Target);
        if (!_bans.TryGetValue(key, out _))
        {
            _perJail[key.Jail]++;
        }

        var slot = BanSlot.Of(ban, NodeCode(ban));
        _bans.Set(key, slot);
        _earliestExpiry = Math.Min(_earliestExpiry, slot.Expires);
        (key.IsV6 ? _v6Prefixes : _v4Prefixes).Add(key.PrefixLength);
        if (keepDetails && (ban.Matches.Count > 0 || ban.Fields.Count > 0))
        {
            _details[key] = (ban.Matches, ban.Fields);
        }
        else if (_details.Count > 0)
        {
            _details.Remove(key);
        }
    }

    /// <summary>Removes a ban; returns it, or <c>null</c> when there was none.</summary>
    public Ban? Remove(string jail, IPNetwork target)
    {
        if (!TryKey(jail, target, out var key) || !_bans.TryGetValue(key, out var slot))
        {
            return null;
        }

        var ban = Materialize(key, slot);
        _bans.Remove(key);
        _perJail[key.Jail]--;
        _details.Remove(key);
        return ban;
    }

    /// <summary>Removes and returns the bans that are over at <paramref name="now"/>.</summary>
    public IReadOnlyList<Ban> TakeExpired(DateTimeOffset now)
    {
        List<Ban>? expired = null;
        var nowTicks = now.UtcTicks;
        // Nothing can be over before the earliest expiry put since the last scan (a bound: a ban
        // lifted or replaced since leaves it earlier than need be, which only costs a scan).
        if (nowTicks < _earliestExpiry)
        {
            return [];
        }

        var earliest = long.MaxValue;
        foreach (var (key, slot) in _bans.Entries)
        {
            if (!slot.IsActiveAt(nowTicks))
            {
                (expired ??= []).Add(Materialize(key, slot));
                _bans.Remove(key);
                _perJail[key.Jail]--;
                _details.Remove(key);
            }
            else
            {
                earliest = Math.Min(earliest, slot.Expires);
            }
        }

        _earliestExpiry = earliest;

        if (expired is not null && expired.Count > _bans.Count)
        {
            // Mostly emptied (a mass expiry): a dictionary keeps its largest size otherwise.
            _bans.TrimExcess();
        }

        return expired ?? (IReadOnlyList<Ban>)[];
    }

    private bool TryKey(string jail, IPNetwork target, out BanKey key)
    {
        ArgumentNullException.ThrowIfNull(jail);
        if (_jails.TryGetValue(jail, out var index))
        {
            key = BanKey.Of(index, target);
            return true;
        }

        key = default;
        return false;
    }

    private int JailIndex(string jail)
    {
        if (!_jails.TryGetValue(jail, out var index))
        {
            index = _jailNames.Count;
            _jailNames.Add(jail);
            if (index == _perJail.Length)
            {
                Array.Resize(ref _perJail, index * 2);
            }

            _jails[jail] = index;
        }

        return index;
    }

    private byte NodeCode(Ban ban)
    {
        if (ban is not { Origin: BanOrigin.Fleet, By: { } node })
        {
            return 0;
        }

        if (!_nodes.TryGetValue(node, out var code) && _nodeNames.Count < byte.MaxValue)
        {
            _nodeNames.Add(node);
            _nodes[node] = code = (byte)_nodeNames.Count;
        }

        return code;
    }

    private Ban Materialize(BanKey key, BanSlot slot)
    {
        var ban = new Ban(
            _jailNames[key.Jail],
            key.ToNetwork(),
            new DateTimeOffset(slot.Start, TimeSpan.Zero),
            slot.Expires == BanSlot.Permanent ? null : new DateTimeOffset(slot.Expires, TimeSpan.Zero),
            slot.Origin,
            slot.Failures)
        {
            PriorBans = slot.PriorBans,
            By = slot.NodeCode == 0 ? null : _nodeNames[slot.NodeCode - 1],
        };
        return _details.TryGetValue(key, out var details) ? ban with { Matches = details.Matches, Fields = details.Fields } : ban;
    }
}
