using System.Net;

namespace Warden.Core.Fleet;

/// <summary>
/// The other origins banning a target that this host holds as one fleet ban. The book keeps one
/// ban per jail and target, attributed to one origin (the one that bans longest); when a second
/// node bans the same address for no longer, its ban is noted here instead of replacing the first.
/// A tombstone of the held ban's origin then hands the ban over to the longest other one left,
/// for the time that one has left, rather than lifting what another node still bans; a tombstone
/// of another origin only strikes it from here. Not thread-safe: the engine loop.
/// </summary>
/// <remarks>
/// Memory only: after a restart a tombstone lifts the held ban, and a remaining origin's ban is
/// back at its next republish (anti-entropy). Every ban here expires no later than the held one
/// (a longer one would have replaced it), so expired ones are pruned as the map grows.
/// </remarks>
internal sealed class FleetOrigins
{
    private readonly Dictionary<(string Jail, IPNetwork Target), Dictionary<string, DateTimeOffset>> _others = [];
    private int _pruneAbove = 1024;

    /// <summary>Targets with another origin noted.</summary>
    public int Count => _others.Count;

    /// <summary>Notes that <paramref name="origin"/> bans the target until <paramref name="until"/> (the latest noted counts).</summary>
    public void Add(string jail, IPNetwork target, string origin, DateTimeOffset until, DateTimeOffset now)
    {
        if (!_others.TryGetValue((jail, target), out var origins))
        {
            if (_others.Count >= _pruneAbove)
            {
                Prune(now);
            }

            _others[(jail, target)] = origins = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        }

        origins[origin] = origins.TryGetValue(origin, out var noted) && noted > until ? noted : until;
    }

    /// <summary>Strikes <paramref name="origin"/>'s ban of the target (its tombstone, or its ban now held).</summary>
    public void Remove(string jail, IPNetwork target, string origin)
    {
        if (_others.TryGetValue((jail, target), out var origins) && origins.Remove(origin) && origins.Count == 0)
        {
            _others.Remove((jail, target));
        }
    }

    /// <summary>Removes and returns the other origin whose ban of the target lasts longest after <paramref name="now"/>, if any.</summary>
    public (string Origin, DateTimeOffset Until)? TakeLongest(string jail, IPNetwork target, DateTimeOffset now)
    {
        if (!_others.Remove((jail, target), out var origins))
        {
            return null;
        }

        var longest = origins.Where(o => o.Value > now).OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal).FirstOrDefault();
        if (longest.Key is null)
        {
            return null;
        }

        origins.Remove(longest.Key);
        if (origins.Count > 0)
        {
            _others[(jail, target)] = origins;
        }

        return (longest.Key, longest.Value);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, origins) in _others.ToList())
        {
            foreach (var (origin, until) in origins.ToList())
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
