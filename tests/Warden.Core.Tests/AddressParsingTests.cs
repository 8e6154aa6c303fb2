using System.Net;
using Warden.Core.Addresses;

namespace Warden.Core.Tests;

public class AddressParsingTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:DB8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData(" 10.0.0.1 ", "10.0.0.1")]
    public void TryParseAddress_ValidText_Normalises(string text, string expected)
    {
        Assert.True(AddressParsing.TryParseAddress(text, out var address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("example.com")]
    [InlineData("300.1.1.1")]
    [InlineData("192.0.2.1/24")]
    public void TryParseAddress_NotAnAddress_Fails(string text)
    {
        Assert.False(AddressParsing.TryParseAddress(text, out _));
    }

    [Theory]
    [InlineData("192.0.2.7/24", "192.0.2.0/24")]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("10.1.2.3/255.255.0.0", "10.1.0.0/16")]
    [InlineData("2001:db8:1:2::5/64", "2001:db8:1:2::/64")]
    [InlineData("::ffff:10.0.0.1", "10.0.0.1/32")]
    public void TryParseNetwork_ClearsHostBits(string text, string expected)
    {
        Assert.True(AddressParsing.TryParseNetwork(text, out var network));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("192.0.2.0/33")]
    [InlineData("192.0.2.0/x")]
    [InlineData("10.0.0.0/255.0.255.0")]
    [InlineData("2001:db8::/129")]
    public void TryParseNetwork_BadPrefix_Fails(string text)
    {
        Assert.False(AddressParsing.TryParseNetwork(text, out _));
    }

    [Fact]
    public void Format_HostNetwork_OmitsPrefix()
    {
        Assert.Equal("192.0.2.1", AddressParsing.Format(AddressParsing.HostNetwork(IPAddress.Parse("192.0.2.1"))));
        Assert.Equal("2001:db8::/64", AddressParsing.Format(AddressParsing.ToNetwork(IPAddress.Parse("2001:db8::9"), 64)));
    }
}
