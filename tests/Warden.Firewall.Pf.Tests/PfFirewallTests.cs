using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Diagnostics;
using Warden.Core.Jails;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Firewall.Pf.Tests;

/// <summary>pf cannot run here: these check the exact pfctl commands against <see cref="FakePfctlRecorder"/>.</summary>
public sealed class PfFirewallTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly FakePfctlRecorder _fakePfctl = new();
    private readonly PfFirewall _firewall;

    public PfFirewallTests() => _firewall = new PfFirewall(new PfOptions(), _fakePfctl, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task ApplyStateAsync_FakePfctl_LoadsAnchorRulesThenReplacesEachTable()
    {
        var jails = new[] { TestBans.Jail("sshd", 22), new FirewallJail("web", [new(80, 80), new(8000, 8010)], PortProtocol.All), TestBans.Jail("any") };

        await _firewall.ApplyStateAsync(jails, [TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "2001:db8::/48", Hour), TestBans.Of("any", "198.51.100.1", Hour)], default);

        Assert.Equal(["-a", "warden", "-f", "-"], _fakePfctl.Calls[0].Args);
        Assert.Equal(
            "block drop in quick proto tcp from <sshd> to any port { 22 }\n" +
            "block drop in quick proto { tcp udp } from <web> to any port { 80, 8000:8010 }\n" +
            "block drop in quick from <any> to any\n",
            _fakePfctl.Calls[0].Stdin);
        Assert.Equal(["-a", "warden", "-t", "sshd", "-T", "replace", "-f", "-"], _fakePfctl.Calls[1].Args);
        Assert.Equal("192.0.2.7\n2001:db8::/48\n", _fakePfctl.Calls[1].Stdin);
        Assert.Equal(string.Empty, _fakePfctl.Calls[2].Stdin);
        Assert.Null(await _firewall.CheckAsync(default));
    }

    [Fact]
    public async Task BanAsync_FakePfctl_AddsToTableInOneCallThenKillsStates()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        _fakePfctl.Calls.Clear();

        await _firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "192.0.2.8", Hour)], default);

        Assert.Equal(["-a", "warden", "-t", "sshd", "-T", "add", "-f", "-"], _fakePfctl.Calls[0].Args);
        Assert.Equal("192.0.2.7\n192.0.2.8\n", _fakePfctl.Calls[0].Stdin);
        Assert.Equal(["-k", "192.0.2.7"], _fakePfctl.Calls[1].Args);
        Assert.Equal(["-k", "192.0.2.8"], _fakePfctl.Calls[2].Args);
        Assert.Equal(["192.0.2.7", "192.0.2.8"], _fakePfctl.Tables["sshd"].Order());
    }

    [Fact]
    public async Task UnbanAsync_FakePfctl_DeletesFromTable()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "192.0.2.8", Hour)], default);
        _fakePfctl.Calls.Clear();

        await _firewall.UnbanAsync([TestBans.Of("sshd", "192.0.2.7", Hour)], default);

        var call = Assert.Single(_fakePfctl.Calls);
        Assert.Equal(["-a", "warden", "-t", "sshd", "-T", "delete", "-f", "-"], call.Args);
        Assert.Equal("192.0.2.7\n", call.Stdin);
        Assert.Equal(["192.0.2.8"], _fakePfctl.Tables["sshd"]);
    }

    [Fact]
    public async Task ExpiresBans_PfTablesHaveNoTimeouts_EngineUnbansExpiredOnes()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromSeconds(1))], default);

        Assert.False(_firewall.ExpiresBans);
        Assert.Equal(["192.0.2.7"], _fakePfctl.Tables["sshd"]);

        // A restart after the expiry restores only bans still in force.
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow.AddMinutes(-1))], default);
        Assert.Empty(_fakePfctl.Tables["sshd"]);
    }

    [Fact]
    public async Task BanAsync_TenThousandHosts_OneTableCallAndCappedStateKills()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        _fakePfctl.Calls.Clear();

        await _firewall.BanAsync([.. TestBans.Hosts(10_000).Select(a => TestBans.Of("sshd", a, Hour))], default);

        Assert.Single(_fakePfctl.Calls, c => c.Args.Contains("-T"));
        Assert.Equal(10_000, _fakePfctl.Tables["sshd"].Count);
        Assert.Equal(new PfOptions().MaxStateKillsPerCall, _fakePfctl.Calls.Count(c => c.Args[0] == "-k"));
    }

    [Fact]
    public async Task CheckAsync_TablesFlushedBehindWardensBack_ReportsDriftAndApplyRestores()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = new[] { TestBans.Of("sshd", "192.0.2.7", Hour) };
        await _firewall.ApplyStateAsync(jails, bans, default);

        _fakePfctl.FlushTablesBehindWardensBack();
        Assert.Contains("table <sshd> is missing", await _firewall.CheckAsync(default));
        await _firewall.ApplyStateAsync(jails, bans, default);

        Assert.Null(await _firewall.CheckAsync(default));
        Assert.Equal(["192.0.2.7"], _fakePfctl.Tables["sshd"]);
    }

    [Fact]
    public async Task RemoveAllAsync_FakePfctl_FlushesOnlyTheAnchorsRulesAndTables()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        _fakePfctl.Calls.Clear();

        await _firewall.RemoveAllAsync(default);

        Assert.Equal([["-a", "warden", "-F", "rules"], ["-a", "warden", "-F", "Tables"]], _fakePfctl.Calls.Select(c => c.Args));
    }

    [Fact]
    public async Task ApplyStateAsync_JailDropped_KillsItsTable()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22), TestBans.Jail("old")], [], default);

        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        Assert.Contains(_fakePfctl.Calls, c => c.Args.SequenceEqual(["-a", "warden", "-t", "old", "-T", "kill"]));
        Assert.Equal(["sshd"], _fakePfctl.Tables.Keys);
    }

    [Fact]
    public async Task BanAsync_UnknownJail_ThrowsFirewallException()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        var ex = await Assert.ThrowsAsync<FirewallException>(() => _firewall.BanAsync([TestBans.Of("nope", "192.0.2.1", Hour)], default));

        Assert.Contains("nope", ex.Message);
    }

    [Fact]
    public async Task UnbanAsync_PfctlFails_ThrowsFirewallExceptionWithCommandAndStdin()
    {
        await _firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        _fakePfctl.FlushTablesBehindWardensBack();

        var ex = await Assert.ThrowsAsync<FirewallException>(() => _firewall.UnbanAsync([TestBans.Of("sshd", "192.0.2.1", Hour)], default));

        Assert.Equal("pfctl -a warden -t sshd -T delete -f - <<EOF\n192.0.2.1\nEOF", ex.Command);
        Assert.Equal(1, ex.ExitCode);
    }

    [Fact]
    public async Task DiagnoseAsync_InSync_AllOk()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = new[] { TestBans.Of("sshd", "192.0.2.7", Hour) };
        await _firewall.ApplyStateAsync(jails, bans, default);

        var report = new DoctorReport(await _firewall.DiagnoseAsync(jails, bans, default));

        Assert.True(report.IsOk, report.Render());
    }

    [Fact]
    public async Task DiagnoseAsync_AnchorNotInMainRulesetAndBanMissing_ProblemsWithFixes()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        await _firewall.ApplyStateAsync(jails, [], default);
        _fakePfctl.MainRuleset = "pass in all\n";

        var report = new DoctorReport(await _firewall.DiagnoseAsync(jails, [TestBans.Of("sshd", "192.0.2.7", Hour)], default));

        Assert.False(report.IsOk);
        Assert.Contains("add `anchor \"warden\"` before your pass rules in /etc/pf.conf", report.Render());
        Assert.Contains("table <sshd> holds 0 addresses, the state store has 1 bans in force", report.Render());
    }
}
