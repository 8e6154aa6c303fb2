using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// Collects the bans and unbans of one call into one transaction. Host elements use
/// add-delete-add: the first add makes the delete succeed even when the kernel already expired
/// the element (a delete of a missing element would fail the whole batch), and the final add
/// sets the new timeout whether it is longer or shorter than the old one. Interval sets are
/// rewritten whole from <see cref="Nets"/>.
/// </summary>
internal sealed class SetChange(IReadOnlyDictionary<string, JailSets> jails, NetBanMirror nets)
{
    // Per host set: target -> remaining time (null: permanent), or Removed for an unban.
    private readonly Dictionary<string, Dictionary<IPNetwork, (bool Add, TimeSpan? Remaining)>> _hosts = new(StringComparer.Ordinal);
    private readonly HashSet<(string Set, bool V6)> _touchedNets = [];

    /// <summary>The network bans after this change; becomes the backend's mirror once committed.</summary>
    public NetBanMirror Nets => nets;

    public void Ban(Ban ban, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ban);
        var (sets, v6) = Locate(ban);
        if (AddressParsing.IsHost(ban.Target))
        {
            // A ban already over at this moment only removes what may be left of it.
            HostSet(sets.Host(v6))[ban.Target] = (ban.IsActiveAt(now), ban.RemainingAt(now));
        }
        else
        {
            nets.Put(sets.Net(v6), ban);
            _touchedNets.Add((sets.Net(v6), v6));
        }
    }

    public void Unban(Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        var (sets, v6) = Locate(ban);
        if (AddressParsing.IsHost(ban.Target))
        {
            HostSet(sets.Host(v6))[ban.Target] = (false, null);
        }
        else
        {
            nets.Remove(sets.Net(v6), ban.Target);
            _touchedNets.Add((sets.Net(v6), v6));
        }
    }

    public string Build(DateTimeOffset now)
    {
        var text = new TransactionText();
        foreach (var (set, members) in _hosts)
        {
            var all = members.Select(m => (m.Key, m.Value.Remaining)).ToList();
            text.Elements("add", set, all, withTimeout: false);
            text.Elements("delete", set, all, withTimeout: false);
            text.Elements("add", set, [.. members.Where(m => m.Value.Add).Select(m => (m.Key, m.Value.Remaining))], withTimeout: true);
        }

        foreach (var (set, v6) in _touchedNets)
        {
            text.ReplaceSegments(set, v6, nets.Segments(set, v6, now), now, flush: true);
        }

        return text.ToString();
    }

    private Dictionary<IPNetwork, (bool Add, TimeSpan? Remaining)> HostSet(string set)
    {
        if (!_hosts.TryGetValue(set, out var members))
        {
            members = [];
            _hosts[set] = members;
        }

        return members;
    }

    private (JailSets Sets, bool V6) Locate(Ban ban)
    {
        if (!jails.TryGetValue(ban.Jail, out var sets))
        {
            throw new FirewallException("nftables", $"ban {AddressParsing.Format(ban.Target)}",
                $"jail {ban.Jail} has no sets in table inet warden (ApplyStateAsync has not created it)");
        }

        return (sets, TransactionText.IsV6(ban.Target));
    }
}
