using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Core.Tests;

public sealed class FirewallRouterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Calls_EachJailsBans_GoOnlyToItsBackends()
    {
        var native = new InMemoryFirewall();
        var command = new InMemoryFirewall { ExpiresBans = false };
        var router = new FirewallRouter(
        [
            new FirewallRoute(native, ["sshd", "nginx"], j => j.Name == "nginx" ? j with { Ports = [] } : j),
            new FirewallRoute(command, ["nginx"]),
        ]);

        await router.ApplyStateAsync([new FirewallJail("sshd", [], PortProtocol.Tcp), new FirewallJail("nginx", [], PortProtocol.Tcp)], [Ban("sshd", "192.0.2.1")], CancellationToken.None);
        await router.BanAsync([Ban("nginx", "192.0.2.2"), Ban("sshd", "192.0.2.3")], CancellationToken.None);
        await router.UnbanAsync([Ban("sshd", "192.0.2.1")], CancellationToken.None);

        Assert.False(router.ExpiresBans);
        Assert.Equal(["192.0.2.2", "192.0.2.3"], native.Bans.Select(b => AddressParsing.Format(b.Target)).Order(StringComparer.Ordinal));
        Assert.Equal(["192.0.2.2"], command.Bans.Select(b => AddressParsing.Format(b.Target)));
        Assert.Equal(["apply", "ban"], command.Calls);
    }

    [Fact]
    public async Task BanAsync_OneBackendFails_OthersStillGetTheBanAndTheErrorSurfaces()
    {
        var broken = new InMemoryFirewall { Broken = true };
        var working = new InMemoryFirewall();
        var router = new FirewallRouter([new FirewallRoute(broken, ["sshd"]), new FirewallRoute(working, ["sshd"])]);

        await Assert.ThrowsAsync<FirewallException>(() => router.BanAsync([Ban("sshd", "192.0.2.1")], CancellationToken.None));

        Assert.True(working.Holds("192.0.2.1"));
    }

    private static Ban Ban(string jail, string address) =>
        new(jail, AddressParsing.HostNetwork(IPAddress.Parse(address)), Now, Now + TimeSpan.FromHours(1), BanOrigin.Jail, 3);
}
