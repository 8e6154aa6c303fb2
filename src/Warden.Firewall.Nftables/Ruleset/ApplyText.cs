using System.Net;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// The transaction that replaces Warden's whole table: <c>add table</c> (so the delete cannot
/// fail), <c>delete table</c>, then the full definition with every element. One buffer is one
/// netlink batch, so the kernel switches from the old table to the new one atomically and there
/// is no moment without the bans; no other table is named.
/// </summary>
internal static class ApplyText
{
    public static string Build(
        IEnumerable<JailSets> jails,
        BlockType blockType,
        IReadOnlyDictionary<string, Dictionary<IPNetwork, TimeSpan?>> hosts,
        NetBanMirror nets,
        DateTimeOffset now)
    {
        var jailList = jails.ToList();
        var text = new TransactionText();
        var table = NftablesOptions.TableName;
        text.Line($"add table inet {table}");
        text.Line($"delete table inet {table}");
        text.Line($"table inet {table} {{");
        text.Line("\tcomment \"owned by Warden: changes are overwritten\"");
        foreach (var jail in jailList)
        {
            text.Line($"\tset {jail.Host4} {{ type ipv4_addr; flags timeout; }}");
            text.Line($"\tset {jail.Net4} {{ type ipv4_addr; flags interval, timeout; }}");
            text.Line($"\tset {jail.Host6} {{ type ipv6_addr; flags timeout; }}");
            text.Line($"\tset {jail.Net6} {{ type ipv6_addr; flags interval, timeout; }}");
        }

        text.Line($"\tchain {RuleText.ChainName} {{");
        text.Line($"\t\t{RuleText.ChainHook}");
        foreach (var jail in jailList)
        {
            RuleText.AppendRules(text.Builder, jail, blockType);
        }

        text.Line("\t}");
        ScanLogText.AppendChain(text, jailList);
        text.Line("}");
        foreach (var jail in jailList)
        {
            foreach (var v6 in new[] { false, true })
            {
                if (hosts.TryGetValue(jail.Host(v6), out var members) && members.Count > 0)
                {
                    text.Elements("add", jail.Host(v6), [.. members.Select(m => (m.Key, m.Value))], withTimeout: true);
                }

                var segments = nets.Segments(jail.Net(v6), v6, now);
                text.ReplaceSegments(jail.Net(v6), v6, segments, now, flush: false);
            }
        }

        return text.ToString();
    }
}
