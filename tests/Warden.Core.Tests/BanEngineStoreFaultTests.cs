using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>A store that keeps failing (a full disk): what is logged and what is held meanwhile (issue 14, finding 8).</summary>
public sealed class BanEngineStoreFaultTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly RecordingLogger _log = new();
    private readonly EngineHarness _engines;

    public BanEngineStoreFaultTests() => _engines = new EngineHarness(TimeProvider.System, _firewall, _store) { Logger = _log };

    [Fact]
    public async Task RunAsync_StoreFailsEveryCommit_LogsEachChangeOnceAndBoundsTheBatch()
    {
        var source = new QueueLogSource();
        var jail = new Jail(new JailPolicy("sshd", 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty) { MaxMatches = 10 }, new FakeLineFilter(TimeProvider.System));
        var engine = await _engines.StartAsync(jail, source);
        _store.CommitFailure = new StateStoreException("/var/lib/warden/warden.db", "database or disk is full");

        // Twenty batches, each its own failed commit.
        for (var i = 1; i <= 20; i++)
        {
            source.Write("noise");
            await Eventually.TrueAsync(() => engine.Stats.StoreErrors >= i, Wait, $"failed commit {i}");
        }

        _store.CommitFailure = new StateStoreException("/var/lib/warden/warden.db", "attempt to write a readonly database");
        var bans = StoreSync.MaxPendingEvidence + 5;
        foreach (var host in TestBans.Hosts(bans))
        {
            source.Write(FakeLineFilter.Line(host), FakeLineFilter.Line(host), FakeLineFilter.Line(host));
        }

        await Eventually.TrueAsync(() => _firewall.Bans.Count == bans, Wait, "every ban in the firewall while the store fails");
        var errors = engine.Stats.StoreErrors;
        source.Write("noise");
        await Eventually.TrueAsync(() => engine.Stats.StoreErrors > errors, Wait, "one more failed commit");

        _store.CommitFailure = null;
        source.Write("noise");
        await Eventually.TrueAsync(() => _log.Lines.Any(l => l.EventId == 1045), Wait, "commits work again");

        var store = _log.Lines.Where(l => l.EventId is >= 1040 and <= 1045).ToList();
        Assert.Equal([1040, 1043, 1044, 1045], store.Select(l => l.EventId));
        Assert.Single(store, l => l.Exception is not null);
        Assert.Contains("database or disk is full", store[0].Text, StringComparison.Ordinal);
        Assert.Contains("readonly database", store[1].Text, StringComparison.Ordinal);
        Assert.Contains($"the evidence of 5 bans were not kept", store[3].Text, StringComparison.Ordinal);

        // Every ban reached the store; the first ones with their evidence, the last five without.
        Assert.Equal(bans, _store.AllBans.Count);
        Assert.Equal(StoreSync.MaxPendingEvidence, _store.AllBans.Count(b => b.Evidence.Count == 3));
        Assert.Equal(5, _store.AllBans.Count(b => b.Evidence.Count == 0));

        // A second fault logs one line, without the exception again.
        _store.CommitFailure = new StateStoreException("/var/lib/warden/warden.db", "database or disk is full");
        source.Write("noise");
        await Eventually.TrueAsync(() => _log.Lines.Any(l => l.EventId == 1042), Wait, "the second fault");
        Assert.Null(_log.Lines.Single(l => l.EventId == 1042).Exception);
        Assert.Equal(LogLevel.Error, _log.Lines.Single(l => l.EventId == 1042).Level);
    }

    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
