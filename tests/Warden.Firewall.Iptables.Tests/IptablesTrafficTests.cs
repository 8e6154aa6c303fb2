using Microsoft.Extensions.Logging.Abstractions;
using Warden.TestKit;

namespace Warden.Firewall.Iptables.Tests;

/// <summary>Real packets between an attacker, a client and a server namespace.</summary>
public sealed class IptablesTrafficTests : IDisposable
{
    private readonly NetworkNamespace _server = NetworkNamespace.Create("isv");
    private readonly NetworkNamespace _attacker = NetworkNamespace.Create("iat");
    private readonly NetworkNamespace _client = NetworkNamespace.Create("icl");

    public IptablesTrafficTests()
    {
        _server.Link(_attacker, "10.78.1.1/24", "10.78.1.2/24");
        _server.Link(_client, "10.78.2.1/24", "10.78.2.2/24");
        TcpListeners.Start(_server, 8080, 8081);
    }

    public void Dispose()
    {
        _client.Dispose();
        _attacker.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task BanAsync_Attacker_BlockedOnJailPortOnly()
    {
        var firewall = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = _server.Name }, TimeProvider.System, NullLogger.Instance);
        await firewall.ApplyStateAsync([TestBans.Jail("web", 8080)], [], default);
        await Eventually.TrueAsync(() => _client.CanConnectAsync("10.78.2.1", 8080), TimeSpan.FromSeconds(10), "listener is up");

        await firewall.BanAsync([TestBans.Of("web", "10.78.1.2", TimeSpan.FromHours(1))], default);

        Assert.False(await _attacker.CanConnectAsync("10.78.1.1", 8080, TimeSpan.FromSeconds(1)));
        Assert.True(await _attacker.CanConnectAsync("10.78.1.1", 8081));
        Assert.True(await _client.CanConnectAsync("10.78.2.1", 8080));

        await firewall.UnbanAsync([TestBans.Of("web", "10.78.1.2", TimeSpan.FromHours(1))], default);
        Assert.True(await _attacker.CanConnectAsync("10.78.1.1", 8080));
    }
}
