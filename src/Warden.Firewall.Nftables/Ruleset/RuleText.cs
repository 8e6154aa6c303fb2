using System.Text;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>The base chain and the drop rules of Warden's table, in nft(8) syntax.</summary>
internal static class RuleText
{
    /// <summary>
    /// A filter chain on prerouting at dstnat - 10 (priority -110): after conntrack, before any
    /// DNAT. Every packet entering the host passes it, whether it is for a local service or
    /// forwarded, and a Docker-published port still has its original destination port here, so
    /// a jail's <c>port</c> list matches published ports too (nft(8), "CHAINS", priorities).
    /// </summary>
    public const string ChainName = "prerouting";

    public const string ChainHook = "type filter hook prerouting priority dstnat - 10; policy accept;";

    private static readonly string[] Protocols = ["tcp", "udp", "sctp", "dccp"];

    /// <summary>Checks what nft would refuse late, so the error names the jail.</summary>
    public static void Validate(FirewallJail jail)
    {
        foreach (var range in jail.Ports)
        {
            if (range.From < 0 || range.To > 65535 || range.From > range.To)
            {
                throw new FirewallException("nftables", $"jail {jail.Name}", $"jail {jail.Name}: bad port range {range}");
            }
        }
    }

    /// <summary>Appends the four rules of one jail (host and network set, IPv4 and IPv6).</summary>
    public static void AppendRules(StringBuilder text, JailSets sets, BlockType blockType)
    {
        var match = PortMatch(sets.Jail);
        var verdict = Verdict(sets.Jail, blockType);
        foreach (var (family, set) in new[] { ("ip", sets.Host4), ("ip", sets.Net4), ("ip6", sets.Host6), ("ip6", sets.Net6) })
        {
            text.Append("\t\t").Append(family).Append(" saddr @").Append(set).Append(' ').Append(match).Append("counter ").Append(verdict).Append('\n');
        }
    }

    private static string PortMatch(FirewallJail jail)
    {
        if (jail.Ports.Count == 0 || jail.Ports.Any(p => p.IsAll))
        {
            return string.Empty;
        }

        var ports = string.Join(", ", jail.Ports.Select(p => p.ToString()));
        return jail.Protocol == PortProtocol.All
            ? $"meta l4proto {{ {string.Join(", ", Protocols)} }} th dport {{ {ports} }} "
            : $"{jail.Protocol.Name()} dport {{ {ports} }} ";
    }

    private static string Verdict(FirewallJail jail, BlockType blockType)
    {
        if (blockType == BlockType.Drop)
        {
            return "drop";
        }

        var tcpOnly = jail.Protocol == PortProtocol.Tcp && PortMatch(jail).Length > 0;
        return tcpOnly ? "reject with tcp reset" : "reject with icmpx admin-prohibited";
    }
}
