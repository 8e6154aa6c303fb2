using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Policy;

namespace Warden.Core.Tests.Policy;

public sealed class BanGuardTests
{
    private static readonly BanGuard Guard = new(Set("127.0.0.0/8", "::1", "203.0.113.10"));

    [Theory]
    [InlineData("0.0.0.0/0", BanRefusal.EveryAddress)]
    [InlineData("::/0", BanRefusal.EveryAddress)]
    [InlineData("203.0.113.10", BanRefusal.Allowlisted)]
    [InlineData("203.0.113.0/24", BanRefusal.Allowlisted)]
    [InlineData("::ffff:203.0.113.10", BanRefusal.Allowlisted)]
    [InlineData("127.0.0.2", BanRefusal.Allowlisted)]
    [InlineData("192.0.2.0/24", BanRefusal.Ignored)]
    [InlineData("192.0.2.128/25", BanRefusal.Ignored)]
    [InlineData("2001:db8:1::/48", BanRefusal.Ignored)]
    public void Check_TargetTouchingAnAllowedAddress_IsRefused(string target, BanRefusal expected)
    {
        var ignore = Set("192.0.2.200", "2001:db8:1:2::5");

        Assert.Equal(expected, Guard.Check(Network(target), ignore));
    }

    [Theory]
    [InlineData("198.51.100.7")]
    [InlineData("198.51.100.0/24")]
    [InlineData("192.0.2.0/25")]
    [InlineData("2001:db8:2::/64")]
    public void Check_TargetClearOfEveryAllowlist_IsAllowed(string target)
    {
        Assert.Null(Guard.Check(Network(target), Set("192.0.2.200", "2001:db8:1:2::5")));
    }

    private static IPNetwork Network(string text) =>
        AddressParsing.TryParseNetwork(text, out var network) ? network : throw new ArgumentException(text);

    private static AddressSet Set(params string[] items) => new(items.Select(Network));
}
