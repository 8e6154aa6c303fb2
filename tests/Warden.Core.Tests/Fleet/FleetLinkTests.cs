using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Engine;
using Warden.Core.Fleet;
using Warden.Core.Jails;
using Warden.TestKit;

namespace Warden.Core.Tests.Fleet;

/// <summary>Node b's engine and fleet link over an in-memory bus (Redis has its own tests), with peer a writing to the bus.</summary>
public sealed class FleetLinkTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan Wait = EngineHarness.Wait;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly InMemoryFleetBus _bus = new();
    private readonly FleetSigner _a;
    private readonly FleetSigner _b;
    private readonly FleetSigner _c;
    private readonly PeerKeys _peers;
    private readonly FleetStats _stats = new();
    private readonly FleetOutbox _outbox = new("b", null, 1000);
    private readonly EngineHarness _engines;
    private readonly List<(CancellationTokenSource Stop, Task Run)> _links = [];

    public FleetLinkTests()
    {
        _a = FleetTestKeys.Signer("a", out var aKeys);
        _b = FleetTestKeys.Signer("b", out var bKeys);
        _c = FleetTestKeys.Signer("c", out var cKeys);
        _peers = FleetTestKeys.Peers(("a", aKeys), ("b", bKeys), ("c", cKeys));
        _engines = new EngineHarness(_time, _firewall, _store) { Outbound = _outbox };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    // IAsyncLifetime: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017).
    public async Task DisposeAsync()
    {
        await StopLinksAsync();
        await _engines.DisposeAsync();
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _peers.Dispose();
    }

    [Fact]
    public async Task RunAsync_SignedBanOfAPeer_IsInTheFirewallForTheTimeLeftAndTheCursorIsStored()
    {
        var (engine, link) = await StartAsync();

        var now = _time.GetUtcNow();
        await PublishAsync(_a, Decision(_a, "192.0.2.7", now.AddMinutes(30)));

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "remote ban in the firewall");
        var ban = Assert.Single(await engine.ListBansAsync(CancellationToken.None));
        Assert.Equal(BanOrigin.Fleet, ban.Origin);
        Assert.InRange(ban.Expires!.Value - now, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30.1));
        await Eventually.TrueAsync(() => FleetCursor.Parse(_store.Checkpoint(FleetCursor.SourceId)).Watermarks.ContainsKey("a"), Wait, "cursor in the store");
        Assert.Equal(1, link.Status().Applied);
        Assert.Contains(link.Status().Peers, p => p.Name == "a" && p.LastHeard is not null);
        Assert.Equal(0, _outbox.Count + _bus.Entries.Count(e => e.Decision.Origin == "b"));
    }

    [Fact]
    public async Task RunAsync_OwnManualBanAndUnban_ArePublishedSignedAndRemoteOnesAreNotEchoed()
    {
        var (engine, _) = await StartAsync();
        await PublishAsync(_a, Decision(_a, "192.0.2.7", _time.GetUtcNow().AddHours(1)));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "remote ban in the firewall");

        await engine.BanAsync("sshd", IPNetwork.Parse("198.51.100.9/32"), TimeSpan.FromHours(2), BanOrigin.Manual, CancellationToken.None);
        await Eventually.TrueAsync(() => Own().Any(e => e.Decision.Kind == DecisionKind.Ban), Wait, "own ban published");
        await engine.UnbanAsync(IPNetwork.Parse("198.51.100.9/32"), CancellationToken.None);
        await engine.UnbanAsync(IPNetwork.Parse("192.0.2.7/32"), CancellationToken.None);

        await Eventually.TrueAsync(() => Own().Any(e => e.Decision.Kind == DecisionKind.Unban), Wait, "tombstone published");
        var own = Own();
        Assert.Equal(DecisionKind.Unban, own[^1].Decision.Kind);
        Assert.All(own, e => Assert.True(_peers.Verify(e)));
        Assert.True(own.Zip(own.Skip(1)).All(p => p.First.Decision.Sequence < p.Second.Decision.Sequence));
        Assert.All(own, e => Assert.Equal(IPNetwork.Parse("198.51.100.9/32"), e.Decision.Target));
        Assert.Equal(0, _outbox.Count);
    }

    [Fact]
    public async Task RunAsync_UntrustedEntries_AreNotAppliedAndAreCounted()
    {
        var (_, link) = await StartAsync();
        var expires = _time.GetUtcNow().AddHours(1);
        var forged = _a.Sign(Decision(_a, "192.0.2.1", expires));
        var tampered = forged.Fields.Select(f => f.Key == "target" ? new KeyValuePair<string, string>("target", "192.0.2.2") : f).Append(new("sig", forged.Signature));
        using var stranger = FleetTestKeys.Signer("z", out _);
        _bus.Append(tampered);
        _bus.Append(_a.Sign(Decision(_a, "192.0.2.3", expires)).Fields);
        _bus.Append(stranger.Sign(Decision(stranger, "192.0.2.4", expires)).WireFields);
        _bus.Append([new("origin", "a"), new("target", "192.0.2.5")]);
        var replayed = _a.Sign(Decision(_a, "192.0.2.6", expires));
        await _bus.PublishAsync([replayed], CancellationToken.None);
        _bus.Append(replayed.WireFields);
        await PublishAsync(_a, Decision(_a, "192.0.2.9", expires));

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.9"), Wait, "the good entry after them applied");
        Assert.Equal(["192.0.2.6", "192.0.2.9"], _firewall.Bans.Select(b => b.Target.BaseAddress.ToString()).Order());
        Assert.Equal(5, link.Status().Rejected);
        Assert.Equal(
            [("Malformed", 1L), ("NoSignature", 1L), ("UnknownOrigin", 1L), ("Forged", 1L), ("Replayed", 1L)],
            link.Status().Dropped.Select(d => (d.Reason, d.Count)));
    }

    [Fact]
    public async Task RunAsync_RemoteBanOfAllowlistedOrTooWideOrUnknownJail_IsRefused()
    {
        var allowlist = new AddressSet([AddressParsing.ToNetwork(IPAddress.Parse("203.0.113.5"), 32)]);
        var (engine, link) = await StartAsync(new EngineOptions { Allowlist = allowlist });
        var expires = _time.GetUtcNow().AddHours(1);

        await PublishAsync(_a, Decision(_a, "203.0.113.0/28", expires));
        await PublishAsync(_a, Decision(_a, "10.0.0.0/8", expires));
        await PublishAsync(_a, Decision(_a, "192.0.2.8", expires) with { Jail = "nginx" });
        await PublishAsync(_a, Decision(_a, "192.0.2.9", expires));

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.9"), Wait, "the acceptable ban applied");
        Assert.Single(await engine.ListBansAsync(CancellationToken.None));
        var dropped = link.Status().Dropped.ToDictionary(d => d.Reason, d => d.Count);
        Assert.Equal(1, dropped["Refused"]);
        Assert.Equal(1, dropped["TooWide"]);
        Assert.Equal(1, dropped["NotAccepted"]);
    }

    [Fact]
    public async Task RunAsync_Tombstone_LiftsTheSharedBanButNotAnOwnOne()
    {
        var (engine, _) = await StartAsync();
        var expires = _time.GetUtcNow().AddHours(1);
        await engine.BanAsync("sshd", IPNetwork.Parse("198.51.100.1/32"), TimeSpan.FromHours(1), BanOrigin.Manual, CancellationToken.None);
        await PublishAsync(_a, Decision(_a, "192.0.2.7", expires));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "remote ban in the firewall");

        await PublishAsync(_a, Decision(_a, "192.0.2.7", null, DecisionKind.Unban), Decision(_a, "198.51.100.1", null, DecisionKind.Unban), Decision(_a, "192.0.2.99", expires));

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.99"), Wait, "entries after the tombstones applied");
        Assert.False(_firewall.Holds("192.0.2.7"));
        Assert.True(_firewall.Holds("198.51.100.1"));
    }

    [Fact]
    public async Task RunAsync_TombstoneOfAnotherOrigin_LeavesTheBan_AndItsOriginsHandsItToOneStillBanning()
    {
        var (engine, _) = await StartAsync();
        var now = _time.GetUtcNow();

        // a bans X for an hour, c for half an hour: b holds a's; c's is noted.
        await PublishAsync(_a, Decision(_a, "192.0.2.7", now.AddHours(1)));
        await PublishAsync(_c, Decision(_c, "192.0.2.7", now.AddMinutes(30)));
        await PublishAsync(_a, Decision(_a, "192.0.2.8", now.AddHours(1)));
        await PublishAsync(_c, Decision(_c, "192.0.2.8", null, DecisionKind.Unban), Decision(_c, "192.0.2.9", now.AddHours(1)));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.9"), Wait, "c's entries applied");

        // c lifting what only a banned changes nothing.
        Assert.True(_firewall.Holds("192.0.2.8"));

        // a lifts X: c still bans it, so it stays, c's now, for c's time left.
        await PublishAsync(_a, Decision(_a, "192.0.2.7", null, DecisionKind.Unban), Decision(_a, "192.0.2.99", now.AddHours(1)));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.99"), Wait, "a's tombstone read");
        Assert.True(_firewall.Holds("192.0.2.7"));
        var held = (await engine.ListBansAsync(CancellationToken.None)).Single(b => b.Target.BaseAddress.ToString() == "192.0.2.7");
        Assert.Equal("c", held.By);
        Assert.InRange(held.Expires!.Value - now, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30.1));

        // c lifts it too: nobody bans it any more.
        await PublishAsync(_c, Decision(_c, "192.0.2.7", null, DecisionKind.Unban));
        await Eventually.TrueAsync(() => !_firewall.Holds("192.0.2.7"), Wait, "c's tombstone lifts it");
    }

    [Fact]
    public async Task RunAsync_TombstoneOfAFleetBanThatReplacedAnOwnShorterOne_BringsTheOwnOneBack_UnlessAnAdminLiftedIt()
    {
        var (engine, _) = await StartAsync();
        var now = _time.GetUtcNow();
        await engine.BanAsync("sshd", IPNetwork.Parse("198.51.100.1/32"), TimeSpan.FromMinutes(10), BanOrigin.Manual, CancellationToken.None);
        await engine.BanAsync("sshd", IPNetwork.Parse("198.51.100.2/32"), TimeSpan.FromMinutes(10), BanOrigin.Manual, CancellationToken.None);

        // a bans both for an hour: its bans replace b's shorter own ones.
        await PublishAsync(_a, Decision(_a, "198.51.100.1", now.AddHours(1)), Decision(_a, "198.51.100.2", now.AddHours(1)));
        await Eventually.TrueAsync(async () => (await engine.ListBansAsync(CancellationToken.None)).All(b => b.Origin == BanOrigin.Fleet), Wait, "a's bans held");

        // An admin lifts one here; then a lifts both.
        await engine.UnbanAsync(IPNetwork.Parse("198.51.100.2/32"), CancellationToken.None);
        await PublishAsync(_a, Decision(_a, "198.51.100.1", null, DecisionKind.Unban), Decision(_a, "198.51.100.2", null, DecisionKind.Unban), Decision(_a, "192.0.2.99", now.AddHours(1)));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.99"), Wait, "a's tombstones read");

        var own = Assert.Single(await engine.ListBansAsync(CancellationToken.None), b => b.Target.BaseAddress.ToString() == "198.51.100.1");
        Assert.Equal(BanOrigin.Manual, own.Origin);
        Assert.InRange(own.Expires!.Value - now, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.1));
        Assert.False(_firewall.Holds("198.51.100.2"));
    }

    [Fact]
    public async Task RunAsync_BusDown_KeepsBanningQueuesOwnDecisionsAndPublishesThemWhenBack()
    {
        var (engine, link) = await StartAsync();
        await PublishAsync(_a, Decision(_a, "192.0.2.7", _time.GetUtcNow().AddHours(1)));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "remote ban in the firewall");

        _bus.Down = true;
        await Eventually.TrueAsync(() => !link.Status().Connected, Wait, "status says disconnected");
        var outcome = await engine.BanAsync("sshd", IPNetwork.Parse("198.51.100.9/32"), TimeSpan.FromHours(1), BanOrigin.Manual, CancellationToken.None);

        Assert.NotNull(outcome.Ban);
        Assert.True(_firewall.Holds("198.51.100.9"));
        Assert.True(_firewall.Holds("192.0.2.7"));
        Assert.Equal(1, link.Status().Queued);
        Assert.DoesNotContain(_bus.Entries, e => e.Decision.Origin == "b");
        _bus.Down = false;
        await Eventually.TrueAsync(() => _bus.Entries.Any(e => e.Decision.Origin == "b" && e.Decision.Target.BaseAddress.Equals(IPAddress.Parse("198.51.100.9"))), Wait, "queued ban published once back");
        await Eventually.TrueAsync(() => link.Status().Connected, Wait, "status says connected");
    }

    [Fact]
    public async Task RunAsync_Restart_ResumesFromTheStoredCursorAndSkipsWhatItApplied()
    {
        await StartAsync();
        await PublishAsync(_a, Decision(_a, "192.0.2.7", _time.GetUtcNow().AddHours(1)));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "remote ban in the firewall");
        await Eventually.TrueAsync(() => FleetCursor.Parse(_store.Checkpoint(FleetCursor.SourceId)).Position is not null, Wait, "cursor stored");
        await StopLinksAsync();
        await _engines.StopAllAsync();
        var stored = FleetCursor.Parse(_store.Checkpoint(FleetCursor.SourceId)).Position;
        var snapshots = _bus.Snapshots;
        _bus.ClearReads();

        var (_, link) = await StartAsync();
        await PublishAsync(_a, Decision(_a, "192.0.2.8", _time.GetUtcNow().AddHours(1)));

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.8"), Wait, "ban made while down applied");
        Assert.Equal(stored, _bus.Reads[0]);
        Assert.Equal(snapshots, _bus.Snapshots);
        Assert.Equal(2, link.Status().Applied); // the counters span restarts of the link: one per run, 192.0.2.7 not again
    }

    [Fact]
    public async Task RunAsync_LogTrimmedPastThePosition_ResyncsFromTheSnapshot()
    {
        var (_, link) = await StartAsync();
        _bus.Down = true;
        _bus.Write([_a.Sign(Decision(_a, "192.0.2.7", _time.GetUtcNow().AddHours(1))), _a.Sign(Decision(_a, "192.0.2.8", _time.GetUtcNow().AddHours(1)))]);
        _bus.Trim(2);
        var snapshots = _bus.Snapshots;
        _bus.Down = false;

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7") && _firewall.Holds("192.0.2.8"), Wait, "bans from the snapshot");
        Assert.Equal(snapshots + 1, _bus.Snapshots);
        Assert.Equal(0, link.Status().Rejected);
    }

    [Fact]
    public async Task RunAsync_BusWiped_OwnActiveBansAreBackWithinOneRepublishPeriod()
    {
        var (engine, _) = await StartAsync();
        await engine.BanAsync("sshd", IPNetwork.Parse("198.51.100.1/32"), TimeSpan.FromHours(1), BanOrigin.Manual, CancellationToken.None);
        await engine.BanAsync("sshd", IPNetwork.Parse("198.51.100.2/32"), TimeSpan.FromHours(1), BanOrigin.Manual, CancellationToken.None);
        await Eventually.TrueAsync(() => _bus.InForce == 2, Wait, "own bans published");

        _bus.Wipe();

        await Eventually.TrueAsync(() => _bus.InForce == 2, Wait, "own bans republished");
        Assert.All(_bus.Entries, e => Assert.Equal("b", e.Decision.Origin));
    }

    private List<FleetEntry> Own() => [.. _bus.Entries.Where(e => e.Decision.Origin == "b")];

    private async Task<(BanEngine Engine, FleetLink Link)> StartAsync(EngineOptions? options = null)
    {
        var jail = new Jail(new JailPolicy("sshd", 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty), new FakeLineFilter(_time));
        var engine = await _engines.StartAsync([jail], [], options);
        var link = new FleetLink(
            engine,
            _bus,
            _b,
            _peers,
            new FleetPolicyOptions { Node = "b" },
            _stats,
            _outbox,
            new FleetLinkOptions { Poll = TimeSpan.FromMilliseconds(50), Retry = TimeSpan.FromMilliseconds(50), Republish = TimeSpan.FromMilliseconds(300) },
            _time,
            new RecordingLogger());
        var stop = new CancellationTokenSource();
        var reads = _bus.Reads.Count;
        _links.Add((stop, link.RunAsync(stop.Token)));

        // Reading the log: entries written from now on are read from it, not from the start's snapshot.
        await Eventually.TrueAsync(() => _bus.Reads.Count > reads, Wait, "the link reads the log");
        return (engine, link);
    }

    private async Task StopLinksAsync()
    {
        foreach (var (stop, run) in _links)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Wait);
            stop.Dispose();
        }

        _links.Clear();
    }

    private Task PublishAsync(FleetSigner signer, params FleetDecision[] decisions) =>
        _bus.PublishAsync([.. decisions.Select(signer.Sign)], CancellationToken.None);

    private static FleetDecision Decision(FleetSigner signer, string target, DateTimeOffset? expires, DecisionKind kind = DecisionKind.Ban)
    {
        Assert.True(AddressParsing.TryParseNetwork(target, out var network));
        var now = DateTimeOffset.UtcNow;
        return new FleetDecision(signer.Node, signer.NextSequence(now), kind, "sshd", network, now, expires, "sshd: 3 failures", "");
    }
}
