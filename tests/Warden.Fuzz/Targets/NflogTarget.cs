using Warden.Sources.Firewall.Nflog;

namespace Warden.Fuzz.Targets;

/// <summary>
/// One NFLOG netlink datagram, split and parsed as NflogSource.Split does (netlink headers,
/// NFULA attributes, IPv4/IPv6 and TCP/UDP headers) and rendered as the line the filter sees.
/// </summary>
internal static class NflogTarget
{
    public static void Run(byte[] data)
    {
        ReadOnlySpan<byte> datagram = data;
        _ = NflogMessages.ErrorCode(datagram);
        while (NflogMessages.Length(datagram) is var length and > 0)
        {
            var message = datagram[..length];
            if (NflogMessages.Type(message) == NflogMessages.MsgPacket
                && NflogMessages.TryPayload(message, out _, out var payload)
                && PacketHeaders.TryParse(payload, out var packet, out var protocol))
            {
                _ = PacketLine.Render(1, packet, protocol);
            }

            var aligned = (length + 3) & ~3;
            datagram = aligned >= datagram.Length ? default : datagram[aligned..];
        }
    }
}
