using System.Net;
using Warden.Sources.Firewall.Lines;

namespace Warden.Sources.Firewall.Tests;

/// <summary>Lines as tcpdump's print-pflog.c prints them with <c>-n -e -ttt</c>, written here for the test.</summary>
public class PfLogLineTests
{
    [Theory]
    // tcpdump.org (FreeBSD): -ttt prints a delta, the header ends "(reason): ".
    [InlineData("00:00:00.000131 rule 0/0(match): block in on em0: 192.0.2.7.51234 > 10.0.0.1.23: Flags [S], seq 1804289383, win 1024, options [mss 1460], length 0", "192.0.2.7", "10.0.0.1", 23)]
    // OpenBSD's tcpdump: -ttt prints the date, the header is "rule N/(reason) ".
    [InlineData("Nov 23 10:00:00.123456 rule 2/(match) block in on em0: 192.0.2.7.51234 > 10.0.0.1.25: S 1804289383:1804289383(0) win 1024 <mss 1460>", "192.0.2.7", "10.0.0.1", 25)]
    // A rule inside an anchor.
    [InlineData("00:00:00.000050 rule 3.sshguard.0/0(match): block in on vtnet0: 192.0.2.7.40000 > 10.0.0.1.22: Flags [S], seq 1, win 1024, length 0", "192.0.2.7", "10.0.0.1", 22)]
    [InlineData("00:00:00.000200 rule 0/0(match): block in on em0: 2001:db8::7.51234 > 2001:db8::1.8080: Flags [S], seq 1, win 1024, length 0", "2001:db8::7", "2001:db8::1", 8080)]
    [InlineData("00:00:00.000070 rule 1/0(match): block in on em0: 192.0.2.7.5353 > 10.0.0.1.161:  GetRequest(25)  .1.3.6.1.2.1.1.1.0", "192.0.2.7", "10.0.0.1", 161)]
    // Through syslog: a header in front of tcpdump's own timestamp.
    [InlineData("Nov 23 10:00:00 fw pflog: 00:00:00.000131 rule 0/0(match): block in on em0: 192.0.2.7.51234 > 10.0.0.1.23: Flags [S], length 0", "192.0.2.7", "10.0.0.1", 23)]
    public void TryParse_InboundPacket_ReadsSourceDestinationPort(string line, string source, string destination, int port)
    {
        Assert.True(PfLogLine.TryParse(line, out var packet));

        Assert.Equal(IPAddress.Parse(source), packet.Source);
        Assert.Equal(IPAddress.Parse(destination), packet.Destination);
        Assert.Equal(port, packet.DestinationPort);
    }

    [Fact]
    public void TryParse_Icmp_HasAddressesButNoPort()
    {
        Assert.True(PfLogLine.TryParse("00:00:00.000210 rule 1/0(match): block in on em0: 192.0.2.7 > 10.0.0.1: ICMP echo request, id 1234, seq 0, length 64", out var packet));

        Assert.Equal(IPAddress.Parse("10.0.0.1"), packet.Destination);
        Assert.Null(packet.DestinationPort);
    }

    [Theory]
    [InlineData("00:00:00.000100 rule 5/0(match): pass out on em0: 10.0.0.1.53211 > 203.0.113.5.80: Flags [S], length 0")]
    [InlineData("00:00:00.000100 rule 5/0(match): block in on em0: garbage > 10.0.0.1.80: Flags [S]")]
    [InlineData("00:00:00.000100 rule 5/0(match): block in on em0 without a colon")]
    [InlineData("prorule 1/0(match): block in on em0: 192.0.2.7.1 > 10.0.0.1.2: Flags [S]")]
    [InlineData("")]
    public void TryParse_OutboundOrUnreadable_IsNotAPacket(string line)
    {
        Assert.False(PfLogLine.TryParse(line, out _));
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", null)]
    [InlineData("10.0.0.1.80", "10.0.0.1", 80)]
    [InlineData("2001:db8::1", "2001:db8::1", null)]
    [InlineData("2001:db8::1.443", "2001:db8::1", 443)]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1", null)]
    public void TryEndpoint_AddressWithOrWithoutPort_SplitsAtTheRightDot(string text, string address, int? port)
    {
        Assert.True(PfLogLine.TryEndpoint(text, out var parsed, out var parsedPort));

        Assert.Equal(IPAddress.Parse(address), parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed);
        Assert.Equal(port, parsedPort);
    }
}
