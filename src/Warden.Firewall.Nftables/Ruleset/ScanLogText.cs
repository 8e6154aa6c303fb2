using System.Globalization;
using System.Text;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// The logging chain that feeds port-scan jails: new inbound TCP SYNs and UDP datagrams go to
/// the jail's NFLOG group (nft(8) <c>log group</c>), each rule with its own <c>limit rate</c> so
/// a flood costs Warden a bounded number of packets per second. It hooks input at priority
/// filter: only packets for the host itself, and banned sources never reach it because the
/// prerouting chain dropped them already. It accepts everything, so it changes no verdict.
/// </summary>
internal static class ScanLogText
{
    public const string ChainName = "scanlog";

    public const string ChainHook = "type filter hook input priority filter; policy accept;";

    /// <summary>Checks what nft would refuse late, so the error names the jail.</summary>
    public static void Validate(FirewallJail jail)
    {
        if (jail.ScanLog is not { } rule)
        {
            return;
        }

        if (rule.Group is < 0 or > 65535 || rule.RatePerSecond < 1)
        {
            throw new FirewallException("nftables", $"jail {jail.Name}", $"jail {jail.Name}: logging rule needs a group 0-65535 and a rate of at least 1/second");
        }
    }

    /// <summary>Appends the chain when at least one jail has a logging rule; nothing otherwise.</summary>
    public static void AppendChain(TransactionText text, IEnumerable<JailSets> jails)
    {
        var logged = jails.Where(j => j.Jail.ScanLog is not null).ToList();
        if (logged.Count == 0)
        {
            return;
        }

        text.Line($"\tchain {ChainName} {{");
        text.Line($"\t\t{ChainHook}");
        foreach (var jail in logged)
        {
            var rule = jail.Jail.ScanLog!;
            var exclude = rule.ExcludedPorts.Count == 0 ? string.Empty : $" {{ {string.Join(", ", rule.ExcludedPorts)} }}";
            var log = string.Create(CultureInfo.InvariantCulture, $"limit rate {rule.RatePerSecond}/second burst {rule.RatePerSecond} packets log group {rule.Group} comment \"{jail.Base}\"");
            // A SYN without ACK opens a TCP connection; ct state new alone would also log the stray ACKs of connections conntrack picked up mid-stream.
            var tcp = new StringBuilder("\t\ttcp flags & (fin|syn|rst|ack) == syn ct state new ");
            var udp = new StringBuilder("\t\tmeta l4proto udp ct state new ");
            if (exclude.Length > 0)
            {
                tcp.Append("tcp dport !=").Append(exclude).Append(' ');
                udp.Append("udp dport !=").Append(exclude).Append(' ');
            }

            text.Line(tcp.Append(log).ToString());
            text.Line(udp.Append(log).ToString());
        }

        text.Line("\t}");
    }
}
