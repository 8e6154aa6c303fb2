using System.Diagnostics;
using Warden.Core.Ports;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Firewall.Nftables.Tests;

public sealed class NftablesFirewallTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly ITestOutputHelper _output;
    private readonly NftablesInNamespace _env = new("nf");

    public NftablesFirewallTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task ApplyStateAsync_EmptyNamespace_CreatesSetsAndPreroutingChain()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22), TestBans.Jail("web")], [], default);

        var table = NftProbe.Table(_env.Namespace);
        Assert.Contains("type filter hook prerouting priority dstnat - 10; policy accept;", table);
        Assert.Contains("ip saddr @sshd_h4 tcp dport 22 counter packets 0 bytes 0 drop", table);
        Assert.Contains("ip6 saddr @sshd_n6 tcp dport 22 counter packets 0 bytes 0 drop", table);
        Assert.Contains("ip saddr @web_h4 counter packets 0 bytes 0 drop", table);
        Assert.Contains("set web_n4 {\n\t\ttype ipv4_addr\n\t\tflags interval,timeout", table);
    }

    [Fact]
    public async Task BanAsync_Host_AddsElementWithKernelTimeout()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        await _env.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", Hour)], default);

        var element = Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h4"));
        Assert.Equal("192.0.2.7", element.Value);
        Assert.InRange(element.TimeoutSeconds ?? 0, 3599, 3600);
    }

    [Fact]
    public async Task BanAsync_SameTargetAgain_ReplacesExpiryLongerOrShorter()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        await _env.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", Hour)], default);

        await _env.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromHours(5))], default);
        Assert.InRange(Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h4")).TimeoutSeconds ?? 0, 5 * 3600 - 1, 5 * 3600);

        await _env.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromMinutes(2))], default);
        Assert.InRange(Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h4")).TimeoutSeconds ?? 0, 119, 120);
    }

    [Fact]
    public async Task BanAsync_Permanent_HasNoTimeout()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        await _env.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.9", null)], default);

        var element = Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h4"));
        Assert.Null(element.TimeoutSeconds);
    }

    [Fact]
    public async Task UnbanAsync_BannedAndUnknownHosts_RemovesWithoutError()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        await _env.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "192.0.2.8", Hour)], default);

        await _env.Firewall.UnbanAsync([TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "198.51.100.1", Hour)], default);

        Assert.Equal(["192.0.2.8"], NftProbe.Elements(_env.Namespace, "sshd_h4").Select(e => e.Value));
    }

    [Fact]
    public async Task BanAsync_ShortBan_KernelExpiresIt()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        await _env.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromSeconds(1)), TestBans.Of("sshd", "10.9.0.0/16", TimeSpan.FromSeconds(1))], default);
        Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h4"));
        Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_n4"));

        await Eventually.TrueAsync(
            () => NftProbe.Elements(_env.Namespace, "sshd_h4").Count == 0 && NftProbe.Elements(_env.Namespace, "sshd_n4").Count == 0,
            TimeSpan.FromSeconds(10),
            "the kernel removes expired elements");
    }

    [Fact]
    public async Task BanAsync_TenThousandHosts_OneBatch()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        var bans = TestBans.Hosts(10_000).Select(a => TestBans.Of("sshd", a, Hour)).ToList();

        var watch = Stopwatch.StartNew();
        await _env.Firewall.BanAsync(bans, default);
        _output.WriteLine($"10,000 bans in one call: {watch.ElapsedMilliseconds} ms");

        Assert.Equal(10_000, NftProbe.Elements(_env.Namespace, "sshd_h4").Count);
    }

    [Fact]
    public async Task ApplyStateAsync_AfterFlushRuleset_RestoresEveryBan()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = TestBans.Hosts(1000).Select(a => TestBans.Of("sshd", a, Hour))
            .Append(TestBans.Of("sshd", "2001:db8::7", Hour))
            .Append(TestBans.Of("sshd", "198.51.100.0/24", Hour)).ToList();
        await _env.Firewall.ApplyStateAsync(jails, bans, default);
        _env.Namespace.Exec("nft", "flush", "ruleset");
        Assert.False(NftProbe.TableExists(_env.Namespace));

        await _env.Firewall.ApplyStateAsync(jails, bans, default);

        Assert.Equal(1000, NftProbe.Elements(_env.Namespace, "sshd_h4").Count);
        Assert.Equal("2001:db8::7", Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h6")).Value);
        Assert.Equal("198.51.100.0/24", Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_n4")).Value);
    }

    [Fact]
    public async Task ApplyStateAsync_Again_ReplacesContentExactly()
    {
        var jails = new[] { TestBans.Jail("sshd", 22), TestBans.Jail("old", 80) };
        await _env.Firewall.ApplyStateAsync(jails, [TestBans.Of("sshd", "192.0.2.1", Hour), TestBans.Of("old", "192.0.2.2", Hour)], default);

        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [TestBans.Of("sshd", "192.0.2.3", Hour)], default);

        Assert.Equal(["192.0.2.3"], NftProbe.Elements(_env.Namespace, "sshd_h4").Select(e => e.Value));
        Assert.DoesNotContain("old_h4", NftProbe.Table(_env.Namespace));
    }

    [Fact]
    public async Task ApplyStateAsync_HundredThousandBans_AppliesInOneTransaction()
    {
        var bans = TestBans.Hosts(100_000).Select(a => TestBans.Of("sshd", a, Hour)).ToList();
        var watch = Stopwatch.StartNew();

        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], bans, default);
        _output.WriteLine($"100,000 bans restored in one transaction: {watch.ElapsedMilliseconds} ms");

        Assert.Equal(100_000, NftProbe.Elements(_env.Namespace, "sshd_h4").Count);
    }

    [Fact]
    public async Task BanAsync_NestedNetworks_SplitIntoDisjointRangesWithLatestExpiry()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        var outer = TestBans.Of("sshd", "10.20.0.0/16", Hour);
        var inner = TestBans.Of("sshd", "10.20.5.0/24", TimeSpan.FromHours(3));

        await _env.Firewall.BanAsync([outer, inner], default);

        var elements = NftProbe.Elements(_env.Namespace, "sshd_n4");
        Assert.Equal(["10.20.0.0-10.20.4.255", "10.20.5.0/24", "10.20.6.0-10.20.255.255"], elements.Select(e => e.Value));
        Assert.InRange(elements[1].TimeoutSeconds ?? 0, 3 * 3600 - 1, 3 * 3600);
        Assert.InRange(elements[0].TimeoutSeconds ?? 0, 3599, 3600);

        await _env.Firewall.UnbanAsync([outer], default);
        Assert.Equal(["10.20.5.0/24"], NftProbe.Elements(_env.Namespace, "sshd_n4").Select(e => e.Value));
    }

    [Fact]
    public async Task BanAsync_NetworkInsideLongerNetworkBan_IsCoveredWithoutOverlapError()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        await _env.Firewall.BanAsync([TestBans.Of("sshd", "10.30.0.0/16", TimeSpan.FromHours(5))], default);

        await _env.Firewall.BanAsync([TestBans.Of("sshd", "10.30.1.0/24", Hour)], default);

        var element = Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_n4"));
        Assert.Equal("10.30.0.0/16", element.Value);
    }

    [Fact]
    public async Task BanAsync_Ipv6HostAndNetwork_GoToIpv6Sets()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        await _env.Firewall.BanAsync([TestBans.Of("sshd", "2001:db8::1", Hour), TestBans.Of("sshd", "2001:db8:1::/48", Hour)], default);

        Assert.Equal("2001:db8::1", Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h6")).Value);
        Assert.Equal("2001:db8:1::/48", Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_n6")).Value);
        Assert.Empty(NftProbe.Elements(_env.Namespace, "sshd_h4"));
    }

    [Fact]
    public async Task BanAsync_UnknownJail_ThrowsFirewallException()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        var ex = await Assert.ThrowsAsync<FirewallException>(() => _env.Firewall.BanAsync([TestBans.Of("nope", "192.0.2.1", Hour)], default));

        Assert.Contains("nope", ex.Message);
    }

    [Fact]
    public async Task RemoveAllAsync_TableExists_DeletesOnlyWardensTable()
    {
        _env.Namespace.Exec("nft", "add", "table", "inet", "other");
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [TestBans.Of("sshd", "192.0.2.1", Hour)], default);

        await _env.Firewall.RemoveAllAsync(default);
        await _env.Firewall.RemoveAllAsync(default);

        Assert.False(NftProbe.TableExists(_env.Namespace));
        Assert.Contains("table inet other", _env.Namespace.Exec("nft", "list", "tables"));
    }
}
