using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Ports;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Firewall.Iptables.Tests;

public sealed class IptablesFirewallTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly ITestOutputHelper _output;
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("ip");
    private readonly IptablesFirewall _firewall;

    public IptablesFirewallTests(ITestOutputHelper output)
    {
        _output = output;
        _firewall = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = _ns.Name }, TimeProvider.System, NullLogger.Instance);
    }

    public void Dispose() => _ns.Dispose();

    [Fact]
    public async Task ApplyStateAsync_NoDocker_CreatesSetsChainAndOneInputJump()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        var rules = IpsetProbe.Chains(_ns);
        Assert.Contains("-A WARDEN -p tcp -m set --match-set warden-sshd-4 src -m conntrack --ctorigdstport 22 -j DROP", rules);
        Assert.Single(rules.Split('\n'), l => l == "-A INPUT -j WARDEN");
        Assert.Contains("-A WARDEN -p tcp -m set --match-set warden-sshd-6 src -m conntrack --ctorigdstport 22 -j DROP", IpsetProbe.Chains(_ns, "ip6tables"));
        Assert.True(IpsetProbe.SetExists(_ns, "warden-sshd-4"));
        Assert.True(IpsetProbe.SetExists(_ns, "warden-sshd-6"));
        Assert.Null(await _firewall.CheckAsync(default));
    }

    [Fact]
    public async Task ApplyStateAsync_DockerUserExists_JumpsFirstInDockerUser()
    {
        _ns.Exec("iptables", "-N", "DOCKER-USER");
        _ns.Exec("iptables", "-A", "DOCKER-USER", "-j", "RETURN");

        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        var rules = IpsetProbe.Chains(_ns).Split('\n');
        Assert.Equal(["-A DOCKER-USER -j WARDEN", "-A DOCKER-USER -j RETURN"], rules.Where(l => l.StartsWith("-A DOCKER-USER", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BanAsync_HostAndNetwork_EntriesWithKernelTimeout()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        await _firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "198.51.100.0/24", null), TestBans.Of("sshd", "2001:db8::1", Hour)], default);

        var members = IpsetProbe.Members(_ns, "warden-sshd-4").ToDictionary(m => m.Entry, m => m.Timeout);
        Assert.InRange(members["192.0.2.7"], 3598, 3600);
        Assert.Equal(0, members["198.51.100.0/24"]);
        Assert.Equal("2001:db8::1", Assert.Single(IpsetProbe.Members(_ns, "warden-sshd-6")).Entry);
        Assert.Null(await _firewall.CheckAsync(default));
    }

    [Fact]
    public async Task BanAsync_SameTargetAgain_ReplacesTimeout()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        await _firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", Hour)], default);

        await _firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromMinutes(2))], default);

        Assert.InRange(Assert.Single(IpsetProbe.Members(_ns, "warden-sshd-4")).Timeout, 118, 120);
    }

    [Fact]
    public async Task UnbanAsync_BannedAndUnknown_RemovesWithoutError()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "192.0.2.8", Hour)], default);

        await _firewall.UnbanAsync([TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "203.0.113.9", Hour)], default);

        Assert.Equal("192.0.2.8", Assert.Single(IpsetProbe.Members(_ns, "warden-sshd-4")).Entry);
    }

    [Fact]
    public async Task BanAsync_ShortBan_KernelExpiresIt()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        await _firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromSeconds(1))], default);
        Assert.Single(IpsetProbe.Members(_ns, "warden-sshd-4"));

        await Eventually.TrueAsync(() => IpsetProbe.Members(_ns, "warden-sshd-4").Count == 0, TimeSpan.FromSeconds(10), "ipset expires the entry");
    }

    [Fact]
    public async Task BanAsync_TenThousandHosts_OneRestore()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        var bans = TestBans.Hosts(10_000).Select(a => TestBans.Of("sshd", a, Hour)).ToList();

        var watch = Stopwatch.StartNew();
        await _firewall.BanAsync(bans, default);
        _output.WriteLine($"10,000 bans in one ipset restore: {watch.ElapsedMilliseconds} ms");

        Assert.Equal(10_000, IpsetProbe.Members(_ns, "warden-sshd-4").Count);
    }

    [Fact]
    public async Task ApplyStateAsync_HundredThousandBans_SwappedInAtOnce()
    {
        var bans = TestBans.Hosts(100_000).Select(a => TestBans.Of("sshd", a, Hour)).ToList();

        var watch = Stopwatch.StartNew();
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], bans, default);
        _output.WriteLine($"100,000 bans applied: {watch.ElapsedMilliseconds} ms");

        Assert.Contains("Number of entries: 100000", _ns.Exec("ipset", "list", "-t", "warden-sshd-4"));
    }

    [Fact]
    public async Task CheckAsync_AfterFlushOfChainsAndSets_ReportsDriftAndApplyRestores()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = TestBans.Hosts(500).Select(a => TestBans.Of("sshd", a, Hour)).ToList();
        await _firewall.ApplyStateAsync(jails, bans, default);
        Assert.Null(await _firewall.CheckAsync(default));

        _ns.Exec("iptables", "-F");
        Assert.Contains("rules", await _firewall.CheckAsync(default));
        _ns.Exec("iptables", "-X", "WARDEN");
        Assert.Contains("missing", await _firewall.CheckAsync(default));
        await _firewall.ApplyStateAsync(jails, bans, default);
        _ns.Exec("ipset", "flush", "warden-sshd-4");
        Assert.Contains("holds 0 entries", await _firewall.CheckAsync(default));

        await _firewall.ApplyStateAsync(jails, bans, default);

        Assert.Null(await _firewall.CheckAsync(default));
        Assert.Equal(500, IpsetProbe.Members(_ns, "warden-sshd-4").Count);
        Assert.Contains("-A INPUT -j WARDEN", IpsetProbe.Chains(_ns));
    }

    [Fact]
    public async Task RemoveAllAsync_OthersObjects_LeftAlone()
    {
        _ns.Exec("iptables", "-N", "OTHER");
        _ns.Exec("iptables", "-A", "INPUT", "-j", "OTHER");
        _ns.Exec("ipset", "create", "other", "hash:ip");
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22), TestBans.Jail("web")], [TestBans.Of("sshd", "192.0.2.1", Hour)], default);

        await _firewall.RemoveAllAsync(default);

        var rules = IpsetProbe.Chains(_ns);
        Assert.DoesNotContain("WARDEN", rules);
        Assert.Contains("-A INPUT -j OTHER", rules);
        Assert.Equal("other", _ns.Exec("ipset", "list", "-n").Trim());
    }

    [Fact]
    public async Task ApplyStateAsync_JailDropped_ItsSetsAreDestroyed()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22), TestBans.Jail("old")], [], default);

        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        Assert.False(IpsetProbe.SetExists(_ns, "warden-old-4"));
        Assert.Null(await _firewall.CheckAsync(default));
    }

    [Fact]
    public async Task BanAsync_UnknownJail_ThrowsFirewallException()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        await Assert.ThrowsAsync<FirewallException>(() => _firewall.BanAsync([TestBans.Of("nope", "192.0.2.1", Hour)], default));
    }
}
