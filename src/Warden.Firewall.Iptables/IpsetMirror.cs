using System.Net;
using Warden.Core.Bans;

namespace Warden.Firewall.Iptables;

/// <summary>
/// The entries Warden believes each of its ipsets holds, with their expiry, so a drift check can
/// compare counts from <c>ipset list -t</c> instead of listing members. Not thread-safe.
/// </summary>
internal sealed class IpsetMirror
{
    // The kernel expires an entry on its own clock and the engine removes it on its next tick;
    // counts within this margin of an expiry are not drift.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, Dictionary<IPNetwork, DateTimeOffset?>> _sets = new(StringComparer.Ordinal);

    public int Count => _sets.Values.Sum(s => s.Count);

    public void Put(string set, Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        if (!_sets.TryGetValue(set, out var entries))
        {
            entries = [];
            _sets[set] = entries;
        }

        entries[ban.Target] = ban.Expires;
    }

    public void Remove(string set, IPNetwork target)
    {
        if (_sets.TryGetValue(set, out var entries))
        {
            entries.Remove(target);
        }
    }

    public void ReplaceWith(IpsetMirror other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _sets.Clear();
        foreach (var (set, entries) in other._sets)
        {
            _sets[set] = entries;
        }
    }

    /// <summary>The first set that is missing or whose entry count cannot be explained by expiries; null when all agree.</summary>
    public string? Drift(IReadOnlyDictionary<string, int> counts, IEnumerable<string> sets, DateTimeOffset now)
    {
        foreach (var set in sets)
        {
            if (!counts.TryGetValue(set, out var actual))
            {
                return $"ipset {set} is missing";
            }

            var entries = _sets.TryGetValue(set, out var e) ? e.Values : (IEnumerable<DateTimeOffset?>)[];
            var surely = entries.Count(x => x is null || x > now + Margin);
            var maybe = entries.Count(x => x is null || x > now - Margin);
            if (actual < surely || actual > maybe)
            {
                return $"ipset {set} holds {actual} entries, expected {(surely == maybe ? surely.ToString() : $"{surely}-{maybe}")}";
            }
        }

        return null;
    }
}
