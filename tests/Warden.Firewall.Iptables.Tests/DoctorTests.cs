using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Diagnostics;
using Warden.TestKit;

namespace Warden.Firewall.Iptables.Tests;

public sealed class DoctorTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task HostForwardingDoctor_VmBridgeBehindDockerDrop_ProblemUntilGuardIsUp()
    {
        using var docker = DockerLikeHost.Create(withVmBridge: true);
        var bare = HostForwardingDoctor.Create(new ForwardGuardOptions { NetworkNamespace = docker.Host.Name });

        var before = new DoctorReport(await bare.DiagnoseAsync(default));

        Assert.False(before.IsOk, before.Render());
        Assert.Contains("traffic bridged through br0 passes iptables FORWARD (bridge-nf-call-iptables = 1), whose policy is DROP", before.Render());
        Assert.Contains("fix: add `forward_allow = br0` under [warden] in warden.conf", before.Render());
        Assert.Contains("bridges: br0, docker0", before.Render());
        Assert.DoesNotContain("docker0:", before.Render());

        var options = new ForwardGuardOptions { Interfaces = ["br0"], NetworkNamespace = docker.Host.Name };
        var configured = HostForwardingDoctor.Create(options);
        Assert.Contains("forward_allow = br0, but chain WARDEN-FORWARD is missing", new DoctorReport(await configured.DiagnoseAsync(default)).Render());
        var inner = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = docker.Host.Name }, TimeProvider.System, NullLogger.Instance);
        var guarded = ForwardGuard.Create(inner, inner, options, NullLogger.Instance);
        await guarded.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        var after = new DoctorReport(await configured.DiagnoseAsync(default));

        Assert.True(after.IsOk, after.Render());
        Assert.Contains("forwarding through br0 is accepted in DOCKER-USER", after.Render());
    }

    [Fact]
    public async Task IptablesFirewall_DiagnoseAsync_InSyncThenSetFlushed()
    {
        using var ns = NetworkNamespace.Create("dg");
        var firewall = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = ns.Name }, TimeProvider.System, NullLogger.Instance);
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = new[] { TestBans.Of("sshd", "192.0.2.7", Hour), TestBans.Of("sshd", "2001:db8::1", Hour) };
        await firewall.ApplyStateAsync(jails, bans, default);

        var ok = new DoctorReport(await firewall.DiagnoseAsync(jails, bans, default));
        ns.Exec("ipset", "flush", "warden-sshd-4");
        var broken = new DoctorReport(await firewall.DiagnoseAsync(jails, bans, default));

        Assert.True(ok.IsOk, ok.Render());
        Assert.False(broken.IsOk);
        Assert.Contains("ipset warden-sshd-4 holds 0 entries, the state store has 1 bans in force", broken.Render());
    }
}
