using System.Globalization;
using Warden.Sources.Firewall.Lines;

namespace Warden.Sources.Firewall.Nflog;

/// <summary>
/// Renders an NFLOG packet as the kernel's own log statement would print it (KEY=VALUE tokens of
/// nf_log_syslog.c), so one filter, <see cref="FirewallLogFilter"/>, reads packets from kern.log,
/// journald and NFLOG alike, and <c>warden test</c> can be fed such lines.
/// </summary>
internal static class PacketLine
{
    public static string Render(ushort group, FirewallPacket packet, byte protocol)
    {
        var name = protocol switch
        {
            6 => "TCP",
            17 => "UDP",
            33 => "DCCP",
            58 => "ICMPv6",
            1 => "ICMP",
            132 => "SCTP",
            _ => protocol.ToString(CultureInfo.InvariantCulture),
        };
        var port = packet.DestinationPort is { } p ? string.Create(CultureInfo.InvariantCulture, $" DPT={p}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"NFLOG group={group} IN=nflog OUT= SRC={packet.Source} DST={packet.Destination} PROTO={name}{port}");
    }
}
