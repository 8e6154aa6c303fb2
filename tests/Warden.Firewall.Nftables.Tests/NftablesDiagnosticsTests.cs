using Warden.Core.Diagnostics;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

public sealed class NftablesDiagnosticsTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly NftablesInNamespace _env = new("ng");

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task DiagnoseAsync_InSync_Ok()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = new[] { TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "2001:db8::1", Hour), TestBans.Of("sshd", "10.5.0.0/16", Hour) };
        await _env.Firewall.ApplyStateAsync(jails, bans, default);

        var report = new DoctorReport(await _env.Firewall.DiagnoseAsync(jails, bans, default));

        Assert.True(report.IsOk, report.Render());
        Assert.Contains("jail sshd: the kernel holds the 3 bans in force", report.Render());
    }

    [Fact]
    public async Task DiagnoseAsync_BanDeletedBehindWardensBack_ProblemNamingIt()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = new[] { TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "192.0.2.8", Hour) };
        await _env.Firewall.ApplyStateAsync(jails, bans, default);
        _env.Namespace.Exec("nft", "delete element inet warden sshd_h4 { 192.0.2.8 }");

        var report = new DoctorReport(await _env.Firewall.DiagnoseAsync(jails, bans, default));

        Assert.False(report.IsOk);
        Assert.Contains("jail sshd: 1 stored bans are not in the kernel (first: 192.0.2.8)", report.Render());
    }

    [Fact]
    public async Task DiagnoseAsync_TableFlushed_ProblemWithFix()
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        await _env.Firewall.ApplyStateAsync(jails, [], default);
        _env.Namespace.Exec("nft", "flush", "ruleset");

        var report = new DoctorReport(await _env.Firewall.DiagnoseAsync(jails, [], default));

        Assert.False(report.IsOk);
        Assert.Contains("table inet warden does not exist", report.Render());
        Assert.Contains("fix: start Warden", report.Render());
    }
}
