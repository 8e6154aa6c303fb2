using System.Net;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>
/// Observing jails (<c>observe = true</c>, every jail under <c>[warden] mode = shadow</c>): they
/// detect and decide as any other and record "would ban", and nothing of theirs reaches the firewall,
/// not at a ban, not in a whole-state apply, not at a restart.
/// </summary>
public sealed class BanEngineObserveTests : IDisposable
{
    private static readonly TimeSpan Wait = EngineHarness.Wait;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly EngineHarness _engines;

    public BanEngineObserveTests() => _engines = new EngineHarness(_time, _firewall, _store) { History = _store, Evidence = _store };

    [Fact]
    public async Task ObservingJailBesideAnEnforcingOne_RecordsWouldBanAndSendsNothing()
    {
        var source = new QueueLogSource("file:/var/log/auth.log");
        var engine = await StartAsync(source);

        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"));
        await Eventually.TrueAsync(() => _store.History.Count == 2, Wait, "both jails decided");
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "the enforcing jail's ban in the firewall");

        Assert.Equal(["sshd"], _firewall.Bans.Select(b => b.Jail));
        Assert.Equal([("shadow", true), ("sshd", false)], _store.History.Select(h => (h.Ban.Jail, h.Ban.Observed)).OrderBy(h => h.Jail));
        var listed = await engine.ListBansAsync(CancellationToken.None);
        Assert.Equal([("shadow", true), ("sshd", false)], listed.Select(b => (b.Jail, b.Observed)).OrderBy(b => b.Jail));
        var status = await engine.StatusAsync(CancellationToken.None);
        Assert.Equal([("shadow", true, 1), ("sshd", false, 1)], status.Jails.Select(j => (j.Name, j.Observe, j.BansInForce)).OrderBy(j => j.Name));
        var shown = await engine.ShowAsync(AddressParsing.HostNetwork(IPAddress.Parse("192.0.2.7")), 10, CancellationToken.None);
        Assert.Contains(shown.Bans, b => b.Ban.Jail == "shadow" && b.Ban.Observed && b.Ban.Evidence.Count == 3);

        // Further failures while would-banned start no new decision, as for a real ban.
        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"));
        source.Write(FakeLineFilter.Line("198.51.100.1"), FakeLineFilter.Line("198.51.100.1"), FakeLineFilter.Line("198.51.100.1"));
        await Eventually.TrueAsync(() => _store.History.Count == 4, Wait, "the second address decided by both");
        Assert.Equal(2, _store.History.Count(h => h.Ban.Jail == "shadow"));
        Assert.DoesNotContain(_firewall.Bans, b => b.Jail == "shadow");
    }

    [Fact]
    public async Task Restart_WithAStoredWouldBan_AppliesOnlyTheEnforcingJail()
    {
        var source = new QueueLogSource("file:/var/log/auth.log");
        await StartAsync(source);
        source.Write(FakeLineFilter.Line("192.0.2.9"), FakeLineFilter.Line("192.0.2.9"), FakeLineFilter.Line("192.0.2.9"));
        await Eventually.TrueAsync(() => _store.History.Count == 2, Wait, "both jails decided");
        await _engines.DisposeAsync();

        await using var again = new EngineHarness(_time, _firewall, _store) { History = _store, Evidence = _store };
        var engine = await again.StartAsync(Jails(), [new SourceBinding(new QueueLogSource("file:/var/log/auth.log"), Jails())]);

        Assert.Equal(["sshd"], _firewall.Bans.Select(b => b.Jail));
        Assert.Equal(2, (await engine.ListBansAsync(CancellationToken.None)).Count);
    }

    // IDisposable: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017), which left its engines running.
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private List<Jail> Jails()
    {
        var observing = EngineHarness.Jail("shadow", 22, new FakeLineFilter(_time));
        return [EngineHarness.Jail("sshd", 22, new FakeLineFilter(_time)), new Jail(observing.Policy with { Observe = true }, new FakeLineFilter(_time))];
    }

    private Task<BanEngine> StartAsync(QueueLogSource source)
    {
        var jails = Jails();
        return _engines.StartAsync(jails, [new SourceBinding(source, jails)]);
    }
}
