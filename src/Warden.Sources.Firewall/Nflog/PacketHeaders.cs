using System.Buffers.Binary;
using System.Net;
using Warden.Sources.Firewall.Lines;

namespace Warden.Sources.Firewall.Nflog;

/// <summary>
/// Reads source, destination and destination port from the start of an IP packet (RFC 791,
/// RFC 8200 with its extension headers); ports of TCP, UDP, SCTP and DCCP sit in the first four
/// bytes of their headers. A later fragment has no transport header and yields no port.
/// </summary>
internal static class PacketHeaders
{
    private const byte Tcp = 6;
    private const byte Udp = 17;
    private const byte Dccp = 33;
    private const byte Sctp = 132;

    /// <summary>Reads the packet's addresses and destination port, and its transport protocol number (0 for a later fragment).</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out FirewallPacket result, out byte protocol)
    {
        result = default;
        protocol = 0;
        if (packet.Length < 1)
        {
            return false;
        }

        return (packet[0] >> 4) switch
        {
            4 => TryV4(packet, out result, out protocol),
            6 => TryV6(packet, out result, out protocol),
            _ => false,
        };
    }

    private static bool TryV4(ReadOnlySpan<byte> packet, out FirewallPacket result, out byte protocol)
    {
        result = default;
        protocol = 0;
        var headerLength = (packet[0] & 0x0f) * 4;
        if (headerLength < 20 || packet.Length < headerLength)
        {
            return false;
        }

        var source = new IPAddress(packet.Slice(12, 4));
        var destination = new IPAddress(packet.Slice(16, 4));
        var fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff;
        protocol = fragmentOffset == 0 ? packet[9] : (byte)0;
        var port = fragmentOffset == 0 ? Port(packet[9], packet[headerLength..]) : null;
        result = new FirewallPacket(source, destination, port);
        return true;
    }

    private static bool TryV6(ReadOnlySpan<byte> packet, out FirewallPacket result, out byte protocol)
    {
        result = default;
        protocol = 0;
        if (packet.Length < 40)
        {
            return false;
        }

        var source = new IPAddress(packet.Slice(8, 16));
        var destination = new IPAddress(packet.Slice(24, 16));
        var next = packet[6];
        var rest = packet[40..];
        int? port = null;
        // Hop-by-hop (0), routing (43), destination options (60): length in 8-byte units after the first 8.
        for (var hops = 0; hops < 8; hops++)
        {
            if (next is 0 or 43 or 60 && rest.Length >= 2)
            {
                var length = (rest[1] + 1) * 8;
                if (rest.Length < length)
                {
                    break;
                }

                next = rest[0];
                rest = rest[length..];
            }
            else if (next == 44 && rest.Length >= 8)
            {
                // Fragment header: only the first fragment carries the transport header.
                if ((BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) & 0xfff8) != 0)
                {
                    break;
                }

                next = rest[0];
                rest = rest[8..];
            }
            else
            {
                protocol = next;
                port = Port(next, rest);
                break;
            }
        }

        result = new FirewallPacket(source, destination, port);
        return true;
    }

    private static int? Port(byte protocol, ReadOnlySpan<byte> transport) =>
        protocol is Tcp or Udp or Sctp or Dccp && transport.Length >= 4
            ? BinaryPrimitives.ReadUInt16BigEndian(transport[2..])
            : null;
}
