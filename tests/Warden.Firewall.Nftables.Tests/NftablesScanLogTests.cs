using Warden.Core.Jails;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>The logging chain a port-scan jail asks for, in a real kernel inside a namespace created here.</summary>
public sealed class NftablesScanLogTests : IDisposable
{
    private readonly NftablesInNamespace _env = new("nsl");

    [Fact]
    public async Task ApplyStateAsync_JailWithLogRule_AddsRateLimitedNflogChainInOwnTable()
    {
        var scan = TestBans.Jail("portscan") with { ScanLog = new ScanLogRule(7, 50, [new PortRange(22, 22), new PortRange(8000, 8010)]) };

        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22), scan], [], default);

        var table = NftProbe.Table(_env.Namespace);
        Assert.Contains("type filter hook input priority filter; policy accept;", table, StringComparison.Ordinal);
        Assert.Contains("tcp flags syn / fin,syn,rst,ack ct state new tcp dport != { 22, 8000-8010 } limit rate 50/second burst 50 packets log group 7", table, StringComparison.Ordinal);
        Assert.Contains("ct state new udp dport != { 22, 8000-8010 } limit rate 50/second burst 50 packets log group 7", table, StringComparison.Ordinal);
        Assert.Null(await _env.Firewall.CheckAsync(default));
        var ruleset = (await _env.Namespace.RunAsync("nft", ["list", "ruleset"])).StdOut;
        Assert.Equal(1, ruleset.Split("table ").Length - 1);
    }

    [Fact]
    public async Task CheckAsync_LoggingChainDeletedByOthers_ReportsDriftAndApplyRestoresIt()
    {
        var scan = TestBans.Jail("portscan") with { ScanLog = new ScanLogRule(7, 50, []) };
        await _env.Firewall.ApplyStateAsync([scan], [], default);

        _env.Namespace.Exec("nft", "delete", "chain", "inet", "warden", "scanlog");

        Assert.NotNull(await _env.Firewall.CheckAsync(default));
        await _env.Firewall.ApplyStateAsync([scan], [], default);
        Assert.Contains("log group 7", NftProbe.Table(_env.Namespace), StringComparison.Ordinal);
        Assert.Null(await _env.Firewall.CheckAsync(default));
    }

    [Fact]
    public async Task ApplyStateAsync_NoLogRule_HasNoLoggingChain()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22), TestBans.Jail("portscan")], [], default);

        Assert.DoesNotContain("scanlog", NftProbe.Table(_env.Namespace), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyStateAsync_BadGroup_ThrowsNamingTheJail()
    {
        var scan = TestBans.Jail("portscan") with { ScanLog = new ScanLogRule(70000, 50, []) };

        var error = await Assert.ThrowsAsync<FirewallException>(() => _env.Firewall.ApplyStateAsync([scan], [], default));

        Assert.Contains("portscan", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _env.Dispose();
}
