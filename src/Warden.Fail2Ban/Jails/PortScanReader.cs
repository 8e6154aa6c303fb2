using System.Globalization;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Reads the options of a port-scan jail (<c>filter = portscan</c>), which fail2ban does not
/// have: <c>maxports</c> (default 10) and <c>maxaddresses</c> (default off) distinct
/// destinations within findtime; <c>nflog = N</c> reads NFLOG group N instead of a log file;
/// <c>logrule = yes</c> makes the firewall backend install the logging rule for that group,
/// limited to <c>logrule.rate</c> packets per second (default 100) and skipping the
/// destination ports in <c>logrule.exclude</c>. See docs/portscan.md.
/// </summary>
internal sealed class PortScanReader(JailReader jail)
{
    public const string FilterName = "portscan";

    public (PortScanPolicy Policy, int? NflogGroup) Read()
    {
        var maxAddresses = jail.Get("maxaddresses") is null ? 0 : jail.Int("maxaddresses", 0, minimum: 0);
        var maxPorts = jail.Get("maxports") is null ? (maxAddresses > 0 ? 0 : 10) : jail.Int("maxports", 10, minimum: 0);
        if (maxPorts == 0 && maxAddresses == 0)
        {
            jail.Fail("maxports", "a port-scan jail needs maxports or maxaddresses above 0");
        }

        int? group = jail.Get("nflog") is null ? null : jail.Int("nflog", 0, minimum: 0);
        if (group > ushort.MaxValue)
        {
            jail.Fail("nflog", $"nflog must be an NFLOG group from 0 to 65535, not {group}");
        }

        ScanLogRule? rule = null;
        if (jail.Bool("logrule", false))
        {
            if (group is null)
            {
                jail.Fail("logrule", "logrule = yes needs nflog = GROUP: the rule logs to that NFLOG group");
            }

            var rate = jail.Int("logrule.rate", 100);
            rule = new ScanLogRule(group ?? 0, rate, Exclude());
        }

        return (new PortScanPolicy(maxPorts, maxAddresses) { LogRule = rule }, group);
    }

    private IReadOnlyList<PortRange> Exclude()
    {
        var text = jail.Get("logrule.exclude");
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (!PortList.TryParse(text, out var ports, out var error))
        {
            jail.Fail("logrule.exclude", string.Create(CultureInfo.InvariantCulture, $"logrule.exclude: {error}"));
        }

        return ports;
    }
}
