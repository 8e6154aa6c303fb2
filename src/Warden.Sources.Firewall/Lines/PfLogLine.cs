using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Warden.Sources.Firewall.Lines;

/// <summary>
/// Reads a pf log entry as <c>tcpdump -n -e -ttt -i pflog0</c> (or <c>-r /var/log/pflog</c>)
/// prints it. tcpdump's print-pflog.c writes <c>rule N/M(reason): action dir on ifname: </c>
/// (OpenBSD's tcpdump: <c>rule N/(reason) action dir on ifname: </c>), then the packet as
/// <c>SRC.SPORT &gt; DST.DPORT: ...</c>, ports absent for ICMP. The timestamp in front is either
/// a date (OpenBSD -ttt) or a delta (tcpdump.org -ttt) and is not used.
/// </summary>
/// <remarks>Index scans only, no regex; the first <see cref="KernelLogLine.MaxScanned"/> characters are read.</remarks>
internal static class PfLogLine
{
    /// <summary>Parses an inbound packet (<c>in on</c>); false for outbound or unreadable lines.</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out FirewallPacket packet)
    {
        packet = default;
        if (line.Length > KernelLogLine.MaxScanned)
        {
            line = line[..KernelLogLine.MaxScanned];
        }

        var rule = line.IndexOf("rule ", StringComparison.Ordinal);
        if (rule < 0 || (rule > 0 && line[rule - 1] != ' '))
        {
            return false;
        }

        var rest = line[rule..];
        var on = rest.IndexOf(" in on ", StringComparison.Ordinal);
        if (on < 0)
        {
            return false;
        }

        // "ifname: " ends the pflog header; the packet follows.
        rest = rest[(on + " in on ".Length)..];
        var header = rest.IndexOf(": ", StringComparison.Ordinal);
        if (header < 0)
        {
            return false;
        }

        rest = rest[(header + 2)..];
        var arrow = rest.IndexOf(" > ", StringComparison.Ordinal);
        if (arrow <= 0)
        {
            return false;
        }

        var srcText = rest[..arrow];
        var afterArrow = rest[(arrow + 3)..];
        var end = afterArrow.IndexOf(": ", StringComparison.Ordinal);
        var dstText = end < 0 ? afterArrow.TrimEnd(':') : afterArrow[..end];
        if (!TryEndpoint(srcText, out var source, out _) || !TryEndpoint(dstText, out var destination, out var port))
        {
            return false;
        }

        packet = new FirewallPacket(source, destination, port);
        return true;
    }

    /// <summary>tcpdump's <c>-n</c> endpoint: <c>192.0.2.7.51234</c>, <c>2001:db8::7.51234</c>, or an address alone.</summary>
    internal static bool TryEndpoint(ReadOnlySpan<char> text, out IPAddress address, out int? port)
    {
        port = null;
        address = IPAddress.None;
        if (text.IsEmpty || text.Contains(' '))
        {
            return false;
        }

        var dot = text.LastIndexOf('.');
        var v6 = text.Contains(':');
        // An IPv4 address with a port has four dots; IPAddress would accept "10.0.0" as an address.
        var splits = v6 ? dot > 0 : text.Count('.') == 4;
        if (splits
            && int.TryParse(text[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
            && IPAddress.TryParse(text[..dot], out var withPort)
            && withPort.AddressFamily == (v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork))
        {
            address = withPort;
            port = p;
            return true;
        }

        if ((v6 || text.Count('.') == 3) && IPAddress.TryParse(text, out var alone))
        {
            address = alone;
            return true;
        }

        return false;
    }
}
