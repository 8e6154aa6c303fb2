using System.Net;

namespace Warden.Core.Bans;

/// <summary>
/// The bans in force, per jail and target: the daemon's own answer to "is this banned", so no
/// firewall query is needed per event (an <c>nft get element</c> costs O(set size)). Not
/// thread-safe; owned by the engine loop.
/// </summary>
public sealed class BanBook
{
    private readonly Dictionary<(string Jail, IPNetwork Target), Ban> _bans = [];

    // Prefix lengths ever used by a ban, so a lookup probes a handful of networks, not every ban.
    private readonly SortedSet<int> _prefixLengths = [];

    /// <summary>Bans held.</summary>
    public int Count => _bans.Count;

    /// <summary>All bans held, in no particular order.</summary>
    public IEnumerable<Ban> All => _bans.Values;

    /// <summary>Makes room for <paramref name="count"/> bans at once (a restore), instead of doubling up to them.</summary>
    public void EnsureCapacity(int count) => _bans.EnsureCapacity(count);

    /// <summary>The ban of <paramref name="target"/> in <paramref name="jail"/>, if any.</summary>
    public Ban? Find(string jail, IPNetwork target) => _bans.GetValueOrDefault((jail, target));

    /// <summary>True when the jail has a ban in force at <paramref name="now"/> that contains the address.</summary>
    public bool IsBanned(string jail, IPAddress address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        var maxPrefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        foreach (var prefix in _prefixLengths)
        {
            if (prefix <= maxPrefix
                && _bans.TryGetValue((jail, Addresses.AddressParsing.ToNetwork(address, prefix)), out var ban)
                && ban.Target.PrefixLength == prefix
                && ban.IsActiveAt(now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The jail's bans whose target lies strictly inside <paramref name="network"/> (a prefix ban
    /// replaces them). A scan of the jail's bans: prefix bans are rare, so this is cheap enough.
    /// </summary>
    public IReadOnlyList<Ban> Covered(string jail, IPNetwork network)
    {
        var covered = new List<Ban>();
        foreach (var ((banJail, target), ban) in _bans)
        {
            if (banJail == jail && target.PrefixLength > network.PrefixLength && network.Contains(target.BaseAddress))
            {
                covered.Add(ban);
            }
        }

        return covered;
    }

    /// <summary>Every ban, of any jail, whose target shares at least one address with <paramref name="network"/>.</summary>
    public IReadOnlyList<Ban> Overlapping(IPNetwork network)
    {
        var overlapping = new List<Ban>();
        foreach (var ban in _bans.Values)
        {
            var target = ban.Target;
            if (target.PrefixLength <= network.PrefixLength ? target.Contains(network.BaseAddress) : network.Contains(target.BaseAddress))
            {
                overlapping.Add(ban);
            }
        }

        return overlapping;
    }

    /// <summary>Adds or replaces the ban of the same jail and target.</summary>
    public void Put(Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        _bans[(ban.Jail, ban.Target)] = ban;
        _prefixLengths.Add(ban.Target.PrefixLength);
    }

    /// <summary>Removes a ban; returns it, or <c>null</c> when there was none.</summary>
    public Ban? Remove(string jail, IPNetwork target) =>
        _bans.Remove((jail, target), out var ban) ? ban : null;

    /// <summary>Removes and returns the bans that are over at <paramref name="now"/>.</summary>
    public IReadOnlyList<Ban> TakeExpired(DateTimeOffset now)
    {
        List<Ban>? expired = null;
        foreach (var (key, ban) in _bans)
        {
            if (!ban.IsActiveAt(now))
            {
                (expired ??= []).Add(ban);
                _bans.Remove(key);
            }
        }

        return expired ?? (IReadOnlyList<Ban>)[];
    }
}
