using Warden.Core.Addresses;
using Warden.Firewall.Nftables.Ruleset;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>Reading back the bans of table inet warden at start (issue 14, finding 1).</summary>
public sealed class NftablesReadBackTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly NftablesInNamespace _env = new("rb");

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task ReadBansAsync_HostsNetworksAndPermanent_ComeBackWithRemainingTime()
    {
        var jails = new[] { TestBans.Jail("sshd", 22), TestBans.Jail("web", 80) };
        var started = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        var bans = TestBans.Hosts(2000).Select(a => TestBans.Of("sshd", a, Hour, started))
            .Append(TestBans.Of("sshd", "2001:db8::7", null))
            .Append(TestBans.Of("web", "198.51.100.0/24", Hour, started))
            .Append(TestBans.Of("web", "198.51.100.64/26", 2 * Hour, started))
            .ToList();
        await _env.Firewall.ApplyStateAsync(jails, bans, default);

        var now = DateTimeOffset.UtcNow;
        var read = await _env.Firewall.ReadBansAsync(jails, now, default);

        var sshd = read.Where(b => b.Jail == "sshd").ToList();
        Assert.Equal(2001, sshd.Count);
        Assert.Null(sshd.Single(b => b.Target.BaseAddress.ToString() == "2001:db8::7").Expires);
        Assert.All(sshd.Where(b => b.Expires is not null), b => Assert.InRange((b.Expires!.Value - now).TotalSeconds, 49 * 60 - 5, 50 * 60));
        // The kernel keeps the timeout an element was added with: its start is when it was added.
        Assert.All(sshd.Where(b => b.Expires is not null), b => Assert.InRange((now - b.Start).TotalSeconds, 0, 5));

        // The overlapping networks were partitioned into ranges; every address keeps its longest ban.
        var web = read.Where(b => b.Jail == "web").ToList();
        var inner = web.Where(b => b.Target.Contains(System.Net.IPAddress.Parse("198.51.100.70"))).ToList();
        var outer = web.Where(b => b.Target.Contains(System.Net.IPAddress.Parse("198.51.100.1"))).ToList();
        Assert.InRange((Assert.Single(inner).Expires!.Value - now).TotalMinutes, 109, 110);
        Assert.InRange((Assert.Single(outer).Expires!.Value - now).TotalMinutes, 49, 50);
        Assert.Equal(256, web.Sum(b => 1 << (32 - b.Target.PrefixLength)));
    }

    [Fact]
    public async Task ReadBansAsync_NoTable_IsEmpty()
    {
        Assert.Empty(await _env.Firewall.ReadBansAsync([TestBans.Jail("sshd", 22)], DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async Task ReadBansAsync_UnconfiguredJail_IsIgnored()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("old", 22)], [TestBans.Of("old", "192.0.2.1", Hour)], default);

        Assert.Empty(await _env.Firewall.ReadBansAsync([TestBans.Jail("sshd", 22)], DateTimeOffset.UtcNow, default));
    }

    [Theory]
    [InlineData("10.0.0.0-10.0.0.255", "10.0.0.0/24")]
    [InlineData("10.0.0.1-10.0.0.6", "10.0.0.1,10.0.0.2/31,10.0.0.4/31,10.0.0.6")]
    [InlineData("0.0.0.0-255.255.255.255", "0.0.0.0/0")]
    [InlineData("2001:db8::-2001:db8::ffff", "2001:db8::/112")]
    [InlineData("192.0.2.9", "192.0.2.9")]
    [InlineData("198.51.100.0/24", "198.51.100.0/24")]
    [InlineData("not an address", "")]
    public void Targets_Element_SplitsIntoExactNetworks(string element, string expected)
    {
        Assert.Equal(expected, string.Join(',', KernelBans.Targets(element).Select(AddressParsing.Format)));
    }
}
