using System.Net;
using Warden.Sources.Firewall.Lines;

namespace Warden.Sources.Firewall.Tests;

public class KernelLogLineTests
{
    [Fact]
    public void TryParse_IPv4SynWithSyslogHeaderAndPrefix_ReadsSourceDestinationPort()
    {
        const string line = "Nov 23 10:00:00 gw kernel: [ 8123.456789] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=192.0.2.7 DST=10.0.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=42 ID=1000 PROTO=TCP SPT=51234 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0";

        Assert.True(KernelLogLine.TryParse(line, out var packet));

        Assert.Equal(IPAddress.Parse("192.0.2.7"), packet.Source);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), packet.Destination);
        Assert.Equal(23, packet.DestinationPort);
    }

    [Fact]
    public void TryParse_IPv6FullFormAddresses_ReadsThem()
    {
        const string line = "IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:86:dd SRC=2001:0db8:0000:0000:0000:0000:0000:0007 DST=2001:0db8:0000:0000:0000:0000:0000:0001 LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=UDP SPT=51234 DPT=53 LEN=40";

        Assert.True(KernelLogLine.TryParse(line, out var packet));

        Assert.Equal(IPAddress.Parse("2001:db8::7"), packet.Source);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), packet.Destination);
        Assert.Equal(53, packet.DestinationPort);
    }

    [Fact]
    public void TryParse_IcmpWithoutPorts_HasNoPort()
    {
        Assert.True(KernelLogLine.TryParse("IN=eth0 OUT= SRC=192.0.2.7 DST=10.0.0.1 LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1", out var packet));

        Assert.Null(packet.DestinationPort);
    }

    [Theory]
    [InlineData("IN= OUT=eth0 SRC=10.0.0.1 DST=203.0.113.1 LEN=60 PROTO=TCP SPT=50000 DPT=80")]
    [InlineData("sshd[42]: LOGIN=eth0 SRC=192.0.2.7 DST=10.0.0.1 PROTO=TCP DPT=22")]
    [InlineData("IN=eth0 OUT= SRC=not-an-address DST=10.0.0.1 PROTO=TCP DPT=22")]
    [InlineData("IN=eth0 OUT= SRC=192.0.2.7 PROTO=TCP DPT=22")]
    [InlineData("Failed password for root from 192.0.2.7 port 22 ssh2")]
    [InlineData("")]
    public void TryParse_OutboundOrUnreadable_IsNotAPacket(string line)
    {
        Assert.False(KernelLogLine.TryParse(line, out _));
    }

    [Fact]
    public void TryParse_OutOfRangePort_HasNoPort()
    {
        Assert.True(KernelLogLine.TryParse("IN=eth0 SRC=192.0.2.7 DST=10.0.0.1 PROTO=TCP DPT=99999", out var packet));

        Assert.Null(packet.DestinationPort);
    }
}
