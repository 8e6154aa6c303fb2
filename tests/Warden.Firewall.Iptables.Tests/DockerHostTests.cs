using Microsoft.Extensions.Logging.Abstractions;
using Warden.TestKit;

namespace Warden.Firewall.Iptables.Tests;

/// <summary>The iptables backend and the forward guard on a namespace host carrying Docker's rules.</summary>
public sealed class DockerHostTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task BanAsync_DockerPublishedPort_AttackerBlockedClientServed()
    {
        using var docker = DockerLikeHost.Create();
        var firewall = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = docker.Host.Name }, TimeProvider.System, NullLogger.Instance);
        await firewall.ApplyStateAsync([TestBans.Jail("web", DockerLikeHost.PublishedPort)], [], default);
        await Eventually.TrueAsync(() => docker.Client.CanConnectAsync(DockerLikeHost.HostForClient, DockerLikeHost.PublishedPort), TimeSpan.FromSeconds(10), "published port answers");
        Assert.True(await docker.Attacker.CanConnectAsync(DockerLikeHost.HostForAttacker, DockerLikeHost.PublishedPort));

        await firewall.BanAsync([TestBans.Of("web", DockerLikeHost.AttackerAddress, Hour)], default);

        Assert.False(await docker.Attacker.CanConnectAsync(DockerLikeHost.HostForAttacker, DockerLikeHost.PublishedPort, TimeSpan.FromSeconds(1)));
        Assert.True(await docker.Client.CanConnectAsync(DockerLikeHost.HostForClient, DockerLikeHost.PublishedPort));
        Assert.Contains("-A DOCKER-USER -j WARDEN", docker.Host.Exec("iptables", "-S", "DOCKER-USER"));
    }

    [Fact]
    public async Task ForwardGuard_VmBridgeBehindDockerDrop_FlowsWithGuardStopsWithout()
    {
        using var docker = DockerLikeHost.Create(withVmBridge: true);
        var vm = docker.Vm!;
        Assert.False(await vm.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort, TimeSpan.FromSeconds(1)));
        var inner = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = docker.Host.Name }, TimeProvider.System, NullLogger.Instance);
        var guarded = ForwardGuard.Create(
            inner,
            inner,
            new ForwardGuardOptions { Interfaces = ["br0"], NetworkNamespace = docker.Host.Name },
            NullLogger.Instance);

        await guarded.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);
        await Eventually.TrueAsync(() => vm.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort), TimeSpan.FromSeconds(10), "bridged traffic flows with the guard");
        var dockerUser = docker.Host.Exec("iptables", "-S", "DOCKER-USER").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["-N DOCKER-USER", "-A DOCKER-USER -j WARDEN", "-A DOCKER-USER -j WARDEN-FORWARD", "-A DOCKER-USER -j RETURN"], dockerUser);

        await guarded.RemoveAllAsync(default);

        Assert.False(await vm.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort, TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain("WARDEN", docker.Host.Exec("iptables", "-S"));
    }

    [Fact]
    public async Task NftablesAcceptInOwnTable_DockerForwardDrop_StillDrops()
    {
        // Why the guard lives in DOCKER-USER: a packet must be accepted by every base chain on
        // the hook, so an accept in another table cannot undo iptables' FORWARD policy DROP.
        using var docker = DockerLikeHost.Create(withVmBridge: true);
        docker.Host.Exec("nft", "add table inet other; add chain inet other passvm { type filter hook forward priority -10; policy accept; }; add rule inet other passvm iifname br0 accept");

        Assert.False(await docker.Vm!.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort, TimeSpan.FromSeconds(1)));
    }
}
