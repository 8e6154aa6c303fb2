using System.Net;
using Warden.Sources.Firewall.Nflog;

namespace Warden.Sources.Firewall.Tests;

public class PacketHeadersTests
{
    [Fact]
    public void TryParse_IPv4TcpSyn_ReadsAddressesPortAndProtocol()
    {
        var packet = IPv4(protocol: 6, fragment: 0, transport: [0xc8, 0x22, 0x00, 0x17]);

        Assert.True(PacketHeaders.TryParse(packet, out var parsed, out var protocol));

        Assert.Equal(IPAddress.Parse("192.0.2.7"), parsed.Source);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), parsed.Destination);
        Assert.Equal(23, parsed.DestinationPort);
        Assert.Equal(6, protocol);
    }

    [Fact]
    public void TryParse_IPv4LaterFragment_HasNoPort()
    {
        var packet = IPv4(protocol: 17, fragment: 185, transport: [0xc8, 0x22, 0x00, 0x35]);

        Assert.True(PacketHeaders.TryParse(packet, out var parsed, out _));

        Assert.Null(parsed.DestinationPort);
    }

    [Fact]
    public void TryParse_IPv6UdpBehindHopByHop_WalksTheExtensionHeader()
    {
        var packet = new byte[40 + 8 + 8];
        packet[0] = 0x60;
        packet[6] = 0; // hop-by-hop options
        IPAddress.Parse("2001:db8::7").GetAddressBytes().CopyTo(packet, 8);
        IPAddress.Parse("2001:db8::1").GetAddressBytes().CopyTo(packet, 24);
        packet[40] = 17; // next: UDP
        packet[41] = 0; // 8 bytes
        packet[48] = 0xc8;
        packet[49] = 0x22;
        packet[50] = 0x00;
        packet[51] = 0x35;

        Assert.True(PacketHeaders.TryParse(packet, out var parsed, out var protocol));

        Assert.Equal(IPAddress.Parse("2001:db8::7"), parsed.Source);
        Assert.Equal(53, parsed.DestinationPort);
        Assert.Equal(17, protocol);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x45, 0, 0 })]
    [InlineData(new byte[] { 0x20, 0, 0, 0 })]
    public void TryParse_TruncatedOrUnknown_IsNotAPacket(byte[] packet)
    {
        Assert.False(PacketHeaders.TryParse(packet, out _, out _));
    }

    private static byte[] IPv4(byte protocol, ushort fragment, byte[] transport)
    {
        var packet = new byte[20 + transport.Length];
        packet[0] = 0x45;
        packet[6] = (byte)(fragment >> 8);
        packet[7] = (byte)fragment;
        packet[9] = protocol;
        IPAddress.Parse("192.0.2.7").GetAddressBytes().CopyTo(packet, 12);
        IPAddress.Parse("10.0.0.1").GetAddressBytes().CopyTo(packet, 16);
        transport.CopyTo(packet, 20);
        return packet;
    }
}
