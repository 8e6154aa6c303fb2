using System.Net;
using Warden.Core.Bans;

namespace Warden.Core.Fleet;

/// <summary>
/// The other origins banning a target that this host holds as one fleet ban. The book keeps one
/// ban per jail and target, attributed to one origin (the one that bans longest); when a second
/// node bans the same address for no longer, its ban is noted here instead of replacing the first.
/// A tombstone of the held ban's origin then hands the ban over to the longest other one left,
/// for the time that one has left, rather than lifting what another node still bans; a tombstone
/// of another origin only strikes it from here. This host's own shorter ban that a fleet ban
/// replaced is noted the same way (as <see cref="Own"/>, with its origin), so it comes back
/// rather than going with the fleet ban. An admin's unban here forgets every note of the target.
/// Not thread-safe: the engine loop.
/// </summary>
/// <remarks>
/// Memory only: after a restart a tombstone lifts the held ban, and a remaining origin's ban is
/// back at its next republish (anti-entropy). Every ban here expires no later than the held one
/// (a longer one would have replaced it), so expired ones are pruned as the map grows.
/// </remarks>
internal sealed class FleetOrigins
{
    /// <summary>The name this host's own ban is noted under (no node is called that).</summary>
    public const string Own = "";

    private readonly Dictionary<(string Jail, IPNetwork Target), Dictionary<string, (DateTimeOffset Until, BanOrigin Origin)>> _others = [];
    private int _pruneAbove = 1024;

    /// <summary>Targets with another origin noted.</summary>
    public int Count => _others.Count;

    /// <summary>Notes that <paramref name="origin"/> (a node, or <see cref="Own"/>) bans the target until <paramref name="until"/> (the latest noted counts).</summary>
    public void Add(string jail, IPNetwork target, string origin, DateTimeOffset until, DateTimeOffset now, BanOrigin kind = BanOrigin.Fleet)
    {
        if (!_others.TryGetValue((jail, target), out var origins))
        {
            if (_others.Count >= _pruneAbove)
            {
                Prune(now);
            }

            _others[(jail, target)] = origins = new Dictionary<string, (DateTimeOffset, BanOrigin)>(StringComparer.Ordinal);
        }

        origins[origin] = origins.TryGetValue(origin, out var noted) && noted.Until > until ? noted : (until, kind);
    }

    /// <summary>Strikes <paramref name="origin"/>'s ban of the target (its tombstone, or its ban now held).</summary>
    public void Remove(string jail, IPNetwork target, string origin)
    {
        if (_others.TryGetValue((jail, target), out var origins) && origins.Remove(origin) && origins.Count == 0)
        {
            _others.Remove((jail, target));
        }
    }

    /// <summary>Forgets every note of a target that overlaps <paramref name="target"/> (an admin lifted it here).</summary>
    public void Forget(IPNetwork target)
    {
        foreach (var key in _others.Keys.Where(k => k.Target.BaseAddress.AddressFamily == target.BaseAddress.AddressFamily
            && (k.Target.Contains(target.BaseAddress) || target.Contains(k.Target.BaseAddress))).ToList())
        {
            _others.Remove(key);
        }
    }

    /// <summary>Forgets every note.</summary>
    public void Clear() => _others.Clear();

    /// <summary>Removes and returns the other origin whose ban of the target lasts longest after <paramref name="now"/>, if any, with the kind of ban it was.</summary>
    public (string Origin, DateTimeOffset Until, BanOrigin Kind)? TakeLongest(string jail, IPNetwork target, DateTimeOffset now)
    {
        if (!_others.Remove((jail, target), out var origins))
        {
            return null;
        }

        var longest = origins.Where(o => o.Value.Until > now).OrderByDescending(o => o.Value.Until).ThenBy(o => o.Key, StringComparer.Ordinal).FirstOrDefault();
        if (longest.Key is null)
        {
            return null;
        }

        origins.Remove(longest.Key);
        if (origins.Count > 0)
        {
            _others[(jail, target)] = origins;
        }

        return (longest.Key, longest.Value.Until, longest.Value.Origin);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, origins) in _others.ToList())
        {
            foreach (var (origin, (until, _)) in origins.ToList())
            {
                if (until <= now)
                {
                    origins.Remove(origin);
                }
            }

            if (origins.Count == 0)
            {
                _others.Remove(key);
            }
        }

        _pruneAbove = Math.Max(1024, _others.Count * 2);
    }
}
