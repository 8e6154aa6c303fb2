using System.Globalization;
using System.Net;

namespace Warden.Sources.Firewall.Lines;

/// <summary>
/// Reads the packet fields of a Linux kernel log line written by an nftables or iptables
/// <c>log</c> statement (net/netfilter/nf_log_syslog.c prints <c>IN= OUT= MAC= SRC= DST= ...
/// PROTO= SPT= DPT=</c>), from a file such as /var/log/kern.log or from journald. Whatever
/// precedes <c>IN=</c> (syslog header, the rule's log prefix) is skipped.
/// </summary>
/// <remarks>
/// A single left-to-right scan of space-separated KEY=VALUE tokens: no regex, so no
/// backtracking on attacker-shaped lines; only the first <see cref="MaxScanned"/> characters are read.
/// </remarks>
internal static class KernelLogLine
{
    public const int MaxScanned = 4096;

    /// <summary>Parses an inbound packet (non-empty <c>IN=</c>); false for outbound or unreadable lines.</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out FirewallPacket packet)
    {
        packet = default;
        if (line.Length > MaxScanned)
        {
            line = line[..MaxScanned];
        }

        var start = FindIn(line);
        if (start < 0)
        {
            return false;
        }

        ReadOnlySpan<char> inDev = default, src = default, dst = default, proto = default, dpt = default;
        foreach (var range in line[start..].Split(' '))
        {
            var token = line[start..][range];
            var eq = token.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var value = token[(eq + 1)..];
            switch (token[..eq])
            {
                case "IN": inDev = value; break;
                case "SRC": src = value; break;
                case "DST": dst = value; break;
                case "PROTO": proto = value; break;
                case "DPT": dpt = value; break;
            }
        }

        if (inDev.IsEmpty || !IPAddress.TryParse(src, out var source) || !IPAddress.TryParse(dst, out var destination))
        {
            return false;
        }

        int? port = null;
        if (!proto.IsEmpty && int.TryParse(dpt, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535)
        {
            port = p;
        }

        packet = new FirewallPacket(source, destination, port);
        return true;
    }

    // "IN=" at the start of the line or of a token ("... kernel: [UFW BLOCK] IN=eth0 ...").
    private static int FindIn(ReadOnlySpan<char> line)
    {
        var offset = 0;
        while (offset < line.Length)
        {
            var at = line[offset..].IndexOf("IN=", StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            at += offset;
            if (at == 0 || line[at - 1] is ' ' or ']')
            {
                return at;
            }

            offset = at + 3;
        }

        return -1;
    }
}
