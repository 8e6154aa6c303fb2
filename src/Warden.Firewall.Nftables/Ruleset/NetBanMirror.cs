using System.Net;
using Warden.Core.Bans;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// What Warden put into its interval sets: the network bans per set, so each change can rewrite
/// a whole interval set as disjoint segments (<see cref="IntervalPartition"/>). Network bans are
/// rare (manual and shared bans), so whole-set rewrites stay small. Not thread-safe.
/// </summary>
internal sealed class NetBanMirror
{
    private readonly Dictionary<string, Dictionary<IPNetwork, DateTimeOffset?>> _sets = new(StringComparer.Ordinal);

    public void Clear() => _sets.Clear();

    public void Put(string set, Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        if (!_sets.TryGetValue(set, out var bans))
        {
            bans = [];
            _sets[set] = bans;
        }

        bans[ban.Target] = ban.Expires;
    }

    public void Remove(string set, IPNetwork target)
    {
        if (_sets.TryGetValue(set, out var bans))
        {
            bans.Remove(target);
        }
    }

    public NetBanMirror Clone()
    {
        var copy = new NetBanMirror();
        foreach (var (set, bans) in _sets)
        {
            copy._sets[set] = new Dictionary<IPNetwork, DateTimeOffset?>(bans);
        }

        return copy;
    }

    /// <summary>The set's content at <paramref name="now"/> as disjoint segments; expired bans are dropped.</summary>
    public List<IntervalSegment> Segments(string set, bool v6, DateTimeOffset now)
    {
        if (!_sets.TryGetValue(set, out var bans))
        {
            return [];
        }

        foreach (var expired in bans.Where(b => b.Value <= now).Select(b => b.Key).ToList())
        {
            bans.Remove(expired);
        }

        return IntervalPartition.Compute(bans.Select(b =>
            new IntervalSegment(ElementText.ToNumber(b.Key.BaseAddress), ElementText.Last(b.Key, v6), b.Value)));
    }
}
