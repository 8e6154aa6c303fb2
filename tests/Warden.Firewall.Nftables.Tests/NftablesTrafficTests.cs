using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>Real packets: an attacker and a client namespace, each on a veth pair to a server namespace.</summary>
public sealed class NftablesTrafficTests : IDisposable
{
    private const string ServerForAttacker = "10.77.1.1";
    private const string ServerForClient = "10.77.2.1";
    private readonly NetworkNamespace _server = NetworkNamespace.Create("srv");
    private readonly NetworkNamespace _attacker = NetworkNamespace.Create("atk");
    private readonly NetworkNamespace _client = NetworkNamespace.Create("cli");

    public NftablesTrafficTests()
    {
        _server.Link(_attacker, ServerForAttacker + "/24", "10.77.1.2/24");
        _server.Link(_client, ServerForClient + "/24", "10.77.2.2/24");
        TcpListeners.Start(_server, 8080, 8081);
    }

    public void Dispose()
    {
        _client.Dispose();
        _attacker.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task BanAsync_Attacker_CannotConnectToJailPortWhileClientAndOtherPortsStillCan()
    {
        using var firewall = Create(BlockType.Drop);
        await firewall.ApplyStateAsync([TestBans.Jail("web", 8080)], [], default);
        await Eventually.TrueAsync(() => _client.CanConnectAsync(ServerForClient, 8080), TimeSpan.FromSeconds(10), "listener is up");
        Assert.True(await _attacker.CanConnectAsync(ServerForAttacker, 8080));

        await firewall.BanAsync([TestBans.Of("web", "10.77.1.2", TimeSpan.FromHours(1))], default);

        Assert.False(await _attacker.CanConnectAsync(ServerForAttacker, 8080, TimeSpan.FromSeconds(1)));
        Assert.True(await _attacker.CanConnectAsync(ServerForAttacker, 8081));
        Assert.True(await _client.CanConnectAsync(ServerForClient, 8080));

        await firewall.UnbanAsync([TestBans.Of("web", "10.77.1.2", TimeSpan.FromHours(1))], default);
        Assert.True(await _attacker.CanConnectAsync(ServerForAttacker, 8080));
    }

    [Fact]
    public async Task ReadDropsAsync_AfterABannedAttackerTries_CountsItsPacketsForItsJailOnly()
    {
        using var firewall = Create(BlockType.Drop);
        await firewall.ApplyStateAsync([TestBans.Jail("web", 8080), TestBans.Jail("mail", 8081)], [], default);
        await Eventually.TrueAsync(() => _client.CanConnectAsync(ServerForClient, 8080), TimeSpan.FromSeconds(10), "listener is up");
        Assert.Equal([new JailDrops("web", 0, 0), new JailDrops("mail", 0, 0)], await firewall.ReadDropsAsync(default));

        await firewall.BanAsync([TestBans.Of("web", "10.77.1.2", TimeSpan.FromHours(1))], default);
        Assert.False(await _attacker.CanConnectAsync(ServerForAttacker, 8080, TimeSpan.FromSeconds(1)));
        Assert.True(await _client.CanConnectAsync(ServerForClient, 8080));

        var drops = await firewall.ReadDropsAsync(default);
        var web = Assert.Single(drops, d => d.Jail == "web");
        // At least the SYN; its retransmissions within the second are dropped too. An IPv4 TCP SYN is 60 bytes or so.
        Assert.InRange(web.Packets, 1, 10);
        Assert.InRange(web.Bytes, 40 * web.Packets, 80 * web.Packets);
        Assert.Equal(new JailDrops("mail", 0, 0), Assert.Single(drops, d => d.Jail == "mail"));
    }

    [Fact]
    public async Task ReadDropsAsync_BanOfANetworkAndIPv6Rules_CountsTheNetworkRuleAndEmptyTableGivesNothing()
    {
        using var firewall = Create(BlockType.Reject);
        Assert.Empty(await firewall.ReadDropsAsync(default));
        await firewall.ApplyStateAsync([TestBans.Jail("web", 8080)], [TestBans.Of("web", "10.77.1.0/24", TimeSpan.FromHours(1))], default);
        await Eventually.TrueAsync(() => _client.CanConnectAsync(ServerForClient, 8080), TimeSpan.FromSeconds(10), "listener is up");

        Assert.False(await _attacker.CanConnectAsync(ServerForAttacker, 8080, TimeSpan.FromSeconds(2)));

        // A reject answers the SYN at once: one packet, no retransmission.
        var web = Assert.Single(await firewall.ReadDropsAsync(default));
        Assert.Equal("web", web.Jail);
        Assert.Equal(1, web.Packets);
    }

    [Fact]
    public async Task BanAsync_NetworkAndRejectBlocktype_AttackerIsRefusedAtOnce()
    {
        using var firewall = Create(BlockType.Reject);
        await firewall.ApplyStateAsync([TestBans.Jail("web", 8080)], [], default);
        await Eventually.TrueAsync(() => _client.CanConnectAsync(ServerForClient, 8080), TimeSpan.FromSeconds(10), "listener is up");

        await firewall.BanAsync([TestBans.Of("web", "10.77.1.0/24", TimeSpan.FromHours(1))], default);

        var watch = Stopwatch.StartNew();
        Assert.False(await _attacker.CanConnectAsync(ServerForAttacker, 8080, TimeSpan.FromSeconds(5)));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.True(await _client.CanConnectAsync(ServerForClient, 8080));
    }

    [Fact]
    public async Task BanAsync_PortPublishedByDnatToAContainer_AttackerBlockedClientServed()
    {
        // What `docker run -p 8088:80` does in the nat table: DNAT on prerouting to a namespace
        // behind the host; the packet is then forwarded, never seen by an INPUT chain.
        using var container = NetworkNamespace.Create("ctr");
        _server.Link(container, "10.77.3.1/24", "10.77.3.2/24");
        container.Exec("ip", "route", "add", "default", "via", "10.77.3.1");
        TcpListeners.Start(container, 80);
        _server.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        _server.Exec("iptables", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", "8088", "-j", "DNAT", "--to-destination", "10.77.3.2:80");
        using var firewall = Create(BlockType.Drop);
        await firewall.ApplyStateAsync([TestBans.Jail("web", 8088)], [], default);
        await Eventually.TrueAsync(() => _client.CanConnectAsync(ServerForClient, 8088), TimeSpan.FromSeconds(10), "published port answers");

        await firewall.BanAsync([TestBans.Of("web", "10.77.1.2", TimeSpan.FromHours(1))], default);

        Assert.False(await _attacker.CanConnectAsync(ServerForAttacker, 8088, TimeSpan.FromSeconds(1)));
        Assert.True(await _client.CanConnectAsync(ServerForClient, 8088));
    }

    private NftablesFirewall Create(BlockType blockType) =>
        NftablesFirewall.Create(new NftablesOptions { NetworkNamespace = _server.Name, BlockType = blockType }, TimeProvider.System, NullLogger.Instance);
}
