using Microsoft.Extensions.Logging.Abstractions;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>The nftables backend on a namespace host carrying Docker's iptables rules.</summary>
public sealed class NftablesDockerHostTests
{
    [Fact]
    public async Task BanAsync_DockerPublishedPort_AttackerBlockedClientServed()
    {
        using var docker = DockerLikeHost.Create();
        using var firewall = NftablesFirewall.Create(new NftablesOptions { NetworkNamespace = docker.Host.Name }, TimeProvider.System, NullLogger.Instance);
        await firewall.ApplyStateAsync([TestBans.Jail("web", DockerLikeHost.PublishedPort)], [], default);
        await Eventually.TrueAsync(() => docker.Client.CanConnectAsync(DockerLikeHost.HostForClient, DockerLikeHost.PublishedPort), TimeSpan.FromSeconds(10), "published port answers");
        Assert.True(await docker.Attacker.CanConnectAsync(DockerLikeHost.HostForAttacker, DockerLikeHost.PublishedPort));

        await firewall.BanAsync([TestBans.Of("web", DockerLikeHost.AttackerAddress, TimeSpan.FromHours(1))], default);

        Assert.False(await docker.Attacker.CanConnectAsync(DockerLikeHost.HostForAttacker, DockerLikeHost.PublishedPort, TimeSpan.FromSeconds(1)));
        Assert.True(await docker.Client.CanConnectAsync(DockerLikeHost.HostForClient, DockerLikeHost.PublishedPort));
    }
}
