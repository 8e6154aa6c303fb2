using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>
/// The rules of Warden's chain, as iptables-restore lines. Ports are matched on the conntrack
/// original destination (<c>-m conntrack --ctorigdstport</c>, iptables-extensions(8)) rather than
/// <c>--dport</c>: the same chain is jumped to from INPUT and from Docker's DOCKER-USER, and in
/// the forward path a Docker-published port has already been rewritten by DNAT, so only the
/// original tuple still carries the port the jail names.
/// </summary>
internal static class ChainRules
{
    public static void Validate(FirewallJail jail)
    {
        if (jail.Ports.Any(r => r.From < 0 || r.To > 65535 || r.From > r.To))
        {
            throw new FirewallException("iptables", $"jail {jail.Name}", $"jail {jail.Name}: bad port range");
        }
    }

    /// <summary>The <c>-A WARDEN ...</c> lines of one jail for one address family.</summary>
    public static IEnumerable<string> For(JailIpsets sets, bool v6, BlockType blockType)
    {
        var jail = sets.Jail;
        var head = $"-A {IptablesOptions.ChainName} -m set --match-set {sets.For(v6)} src";
        var verdict = Verdict(jail, v6, blockType);
        if (jail.Ports.Count == 0 || jail.Ports.Any(p => p.IsAll))
        {
            yield return $"{head} -j {verdict}";
            yield break;
        }

        foreach (var range in jail.Ports)
        {
            var ports = range.From == range.To ? $"{range.From}" : $"{range.From}:{range.To}";
            var proto = jail.Protocol == PortProtocol.All ? string.Empty : $" -p {jail.Protocol.Name()}";
            yield return $"{head}{proto} -m conntrack --ctorigdstport {ports} -j {verdict}";
        }
    }

    private static string Verdict(FirewallJail jail, bool v6, BlockType blockType)
    {
        if (blockType == BlockType.Drop)
        {
            return "DROP";
        }

        var tcpOnly = jail.Protocol == PortProtocol.Tcp && jail.Ports.Count > 0 && !jail.Ports.Any(p => p.IsAll);
        return tcpOnly ? "REJECT --reject-with tcp-reset" : v6 ? "REJECT --reject-with icmp6-adm-prohibited" : "REJECT --reject-with icmp-admin-prohibited";
    }
}
