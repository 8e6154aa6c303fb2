using Warden.Core.Ports;
using Warden.Firewall.Nftables.Native;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// The drop counters per jail from the rules of Warden's chain (<see cref="RuleDump"/>): a rule
/// whose first set lookup is one of a jail's sets (<c>ip saddr @sshd_h4</c>) and whose verdict is
/// drop or reject adds its counter to that jail. Other rules (the port-scan logging rule) are not
/// drops and are left out, as are rules of sets no jail has.
/// </summary>
internal static class RuleCounters
{
    /// <param name="rules">The chain's rules.</param>
    /// <param name="jails">The jails' sets as last applied.</param>
    /// <returns>One entry per jail that has a counted rule, in rule order.</returns>
    public static IReadOnlyList<JailDrops> Sum(IEnumerable<RuleDump.Rule> rules, IEnumerable<JailSets> jails)
    {
        var bySet = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sets in jails)
        {
            foreach (var name in new[] { sets.Host4, sets.Net4, sets.Host6, sets.Net6 })
            {
                bySet[name] = sets.Jail.Name;
            }
        }

        var totals = new Dictionary<string, (long Packets, long Bytes)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var rule in rules)
        {
            if (!rule.Drops || rule.Set is null || !bySet.TryGetValue(rule.Set, out var jail))
            {
                continue;
            }

            if (!totals.TryGetValue(jail, out var total))
            {
                order.Add(jail);
            }

            totals[jail] = (total.Packets + rule.Packets, total.Bytes + rule.Bytes);
        }

        return [.. order.Select(j => new JailDrops(j, totals[j].Packets, totals[j].Bytes))];
    }
}
