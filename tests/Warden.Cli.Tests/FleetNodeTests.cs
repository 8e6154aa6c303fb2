using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Cli.Hosting;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Engine;
using Warden.Core.Fleet;
using Warden.Core.Jails;
using Warden.Fail2Ban;
using Warden.TestKit;

namespace Warden.Cli.Tests;

/// <summary>Two hosts' fleet wiring (key files, peers_dir, the Redis bus, the engine) in one process, over Debian's real redis-server.</summary>
public sealed class FleetNodeTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = EngineHarness.Wait;
    private readonly TempDirectory _dir = new("warden-fleet-node");
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<(CancellationTokenSource Stop, Task Run)> _links = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        Directory.CreateDirectory(_dir.File("peers"));
        foreach (var node in new[] { "a", "b" })
        {
            var keys = FleetKeys.Generate();
            _dir.Write(node + ".key", keys.PrivatePem);
            _dir.Write(Path.Combine("peers", node + ".pub"), keys.PublicPem);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (stop, run) in _links)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Wait);
            stop.Dispose();
        }

        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_BanAndUnbanOnA_ReachB()
    {
        var (a, aEngine, _) = await StartAsync("a");
        var (b, _, bFirewall) = await StartAsync("b");

        await aEngine.BanAsync("sshd", IPNetwork.Parse("192.0.2.7/32"), TimeSpan.FromHours(1), BanOrigin.Manual, CancellationToken.None);
        await Eventually.TrueAsync(() => bFirewall.Holds("192.0.2.7"), Wait, "a's ban on b");
        await aEngine.UnbanAsync(IPNetwork.Parse("192.0.2.7/32"), CancellationToken.None);
        await Eventually.TrueAsync(() => !bFirewall.Holds("192.0.2.7"), Wait, "a's unban on b");

        Assert.Equal(2, a.Status().Published);
        Assert.True(b.Status().Connected);
        Assert.Equal(2, b.Status().Applied);
        Assert.NotNull(Assert.Single(b.Status().Peers).LastHeard);
    }

    [Fact]
    public async Task RunAsync_RedisDown_AKeepsBanningAndPublishesWhenItIsBack()
    {
        var (a, aEngine, aFirewall) = await StartAsync("a");
        var (_, _, bFirewall) = await StartAsync("b");
        await aEngine.BanAsync("sshd", IPNetwork.Parse("192.0.2.7/32"), TimeSpan.FromHours(1), BanOrigin.Manual, CancellationToken.None);
        await Eventually.TrueAsync(() => bFirewall.Holds("192.0.2.7"), Wait, "a's ban on b");

        _redis.Kill();
        await Eventually.TrueAsync(() => !a.Status().Connected, Wait, "a sees Redis down");
        var outcome = await aEngine.BanAsync("sshd", IPNetwork.Parse("192.0.2.8/32"), TimeSpan.FromHours(1), BanOrigin.Manual, CancellationToken.None);

        Assert.NotNull(outcome.Ban);
        Assert.True(aFirewall.Holds("192.0.2.8"));
        Assert.True(bFirewall.Holds("192.0.2.7"));
        Assert.Equal(1, a.Status().Queued);
        await _redis.RestartAsync(wipe: false);
        await Eventually.TrueAsync(() => bFirewall.Holds("192.0.2.8"), TimeSpan.FromSeconds(20), "queued ban on b once Redis is back");
    }

    [Fact]
    public async Task OpenAsync_KeyFileNotAKey_FleetIsOff()
    {
        var settings = Settings("a") with { KeyFile = _dir.Write("bad.key", "not a key") };

        Assert.Null(await FleetNode.OpenAsync(settings, TimeProvider.System, NullLoggerFactory.Instance));
    }

    [Fact]
    public void Same_EqualSetsInOtherInstances_AreTheSame()
    {
        var one = Settings("a") with { Share = new HashSet<string> { "sshd" } };

        Assert.True(FleetSettings.Same(one, Settings("a") with { Share = new HashSet<string> { "sshd" } }));
        Assert.False(FleetSettings.Same(one, Settings("a")));
        Assert.False(FleetSettings.Same(one, null));
        Assert.True(FleetSettings.Same(null, null));
    }

    private FleetSettings Settings(string node) => new()
    {
        Redis = _redis.Url,
        Node = node,
        KeyFile = _dir.File(node + ".key"),
        PeersDir = _dir.File("peers"),
        Place = new ConfigPlace("warden.conf", 1),
    };

    private async Task<(FleetNode Node, BanEngine Engine, InMemoryFirewall Firewall)> StartAsync(string name)
    {
        var node = await FleetNode.OpenAsync(Settings(name), TimeProvider.System, NullLoggerFactory.Instance);
        Assert.NotNull(node);
        _owned.Add(node);
        var firewall = new InMemoryFirewall();
        var engines = new EngineHarness(TimeProvider.System, firewall, new InMemoryStateStore()) { Outbound = node.Outbox };
        _owned.Add(engines);
        var jail = new Jail(new JailPolicy("sshd", 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty), new FakeLineFilter(TimeProvider.System));
        var engine = await engines.StartAsync([jail], []);
        var stop = new CancellationTokenSource();
        _links.Add((stop, node.RunAsync(engine, stop.Token)));
        await Eventually.TrueAsync(() => node.Status().LastRead is not null, Wait, $"{name} reads the fleet");
        return (node, engine, firewall);
    }
}
