using System.Net;
using Warden.Core.Addresses;

namespace Warden.Core.Tests;

public class AddressSetTests
{
    private static AddressSet Set(params string[] networks) =>
        new(networks.Select(n => AddressParsing.TryParseNetwork(n, out var net) ? net : throw new ArgumentException(n)));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::1", true)]
    [InlineData("::2", false)]
    [InlineData("::ffff:127.0.0.5", true)]
    public void Contains_MatchesCidrAndFamily(string address, bool expected)
    {
        var set = Set("127.0.0.1/8", "::1");

        Assert.Equal(expected, set.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.0.2.0/24", true)]
    [InlineData("192.0.0.0/16", true)]
    [InlineData("192.0.2.0/28", true)]
    [InlineData("192.0.2.128/25", false)]
    [InlineData("192.0.3.0/24", false)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("2001:db8::/32", false)]
    public void Overlaps_PrefixTouchingMember_IsTrue(string network, bool expected)
    {
        var set = Set("192.0.2.10");
        Assert.True(AddressParsing.TryParseNetwork(network, out var net));

        Assert.Equal(expected, set.Overlaps(net));
    }
}
