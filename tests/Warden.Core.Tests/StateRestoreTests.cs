using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Jails;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>Start-up over a store that lost its state while the firewall kept its bans (issue 14, finding 1).</summary>
public sealed class StateRestoreTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly RecordingLogger _log = new();
    private readonly EngineHarness _engines;

    public StateRestoreTests() => _engines = new EngineHarness(_time, _firewall, _store) { History = _store, Logger = _log };

    [Fact]
    public async Task RunAsync_EmptyStoreAndKernelHoldsBans_KeepsThemWithRemainingTimeAndStoresThem()
    {
        var now = _time.GetUtcNow();
        _firewall.Hold([.. TestBans.Hosts(2000).Select(h => TestBans.Of("sshd", h, TimeSpan.FromMinutes(30), now - TimeSpan.FromMinutes(10)))]);

        await StartAsync();

        Assert.Equal(2000, _firewall.Bans.Count);
        Assert.All(_firewall.Bans, b => Assert.Equal(now + TimeSpan.FromMinutes(20), b.Expires));
        await Eventually.TrueAsync(() => _store.AllBans.Count == 2000, EngineHarness.Wait, "kernel bans written to the store");
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("holds no bans, failures or read positions", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Text.StartsWith("2000 bans in the firewall's own table had no record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_StoreRecordsLiftAfterKernelBanBegan_DropsIt()
    {
        var now = _time.GetUtcNow();
        var ban = TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromHours(1), now - TimeSpan.FromMinutes(5));
        var kept = TestBans.Of("sshd", "192.0.2.8", TimeSpan.FromHours(1), now - TimeSpan.FromMinutes(5));
        var changes = new StateChanges();
        changes.Bans.Add(ban);
        await _store.CommitAsync(changes, CancellationToken.None);
        changes = new StateChanges();
        changes.Lifted.Add((ban, now - TimeSpan.FromMinutes(1)));
        await _store.CommitAsync(changes, CancellationToken.None);
        // An unban the firewall never applied (it was failing), and a ban the store never saw.
        _firewall.Hold([ban, kept]);

        await StartAsync();

        Assert.False(_firewall.Holds("192.0.2.7"));
        Assert.True(_firewall.Holds("192.0.2.8"));
    }

    [Fact]
    public async Task RunAsync_KernelBanNewerThanStoredEnd_KeepsIt()
    {
        var now = _time.GetUtcNow();
        var old = TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromHours(1), now - TimeSpan.FromDays(2));
        var changes = new StateChanges();
        changes.Bans.Add(old);
        await _store.CommitAsync(changes, CancellationToken.None);
        // The state file is an old copy: the kernel's ban of the same address began long after.
        _firewall.Hold([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromHours(1), now - TimeSpan.FromMinutes(5))]);

        await StartAsync();

        Assert.True(_firewall.Holds("192.0.2.7"));
        await Eventually.TrueAsync(() => _store.AllBans.Any(b => b.Expires == now + TimeSpan.FromMinutes(55)), EngineHarness.Wait, "kept ban stored");
    }

    [Fact]
    public async Task RunAsync_KernelBanOfUnknownJailOrAllowlisted_IsNotKept()
    {
        var now = _time.GetUtcNow();
        _firewall.Hold([TestBans.Of("gone", "192.0.2.7", TimeSpan.FromHours(1), now), TestBans.Of("sshd", "192.0.2.9", TimeSpan.FromHours(1), now)]);
        var allow = new AddressSet([AddressParsing.HostNetwork(System.Net.IPAddress.Parse("192.0.2.9"))]);

        await StartAsync(new Core.Engine.EngineOptions { Allowlist = allow });

        Assert.Empty(_firewall.Bans);
        Assert.Empty(_store.AllBans);
    }

    [Fact]
    public async Task RunAsync_KernelBanWhoseFailuresAreStillStored_SettlesThemIntoItsRecord()
    {
        // Killed after the firewall applied a ban and before the store committed it: the store
        // holds the failures that made the ban, the kernel holds the ban.
        var now = _time.GetUtcNow();
        var changes = new StateChanges();
        foreach (var address in (string[])["192.0.2.7", "192.0.2.8"])
        {
            changes.Failures.Add(new StoredFailure("sshd", address, System.Net.IPAddress.Parse(address), now - TimeSpan.FromMinutes(2), 1));
            changes.Failures.Add(new StoredFailure("sshd", address, System.Net.IPAddress.Parse(address), now - TimeSpan.FromMinutes(1), 1));
        }

        await _store.CommitAsync(changes, CancellationToken.None);
        _firewall.Hold([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromHours(1), now - TimeSpan.FromSeconds(30))]);
        var source = new QueueLogSource();

        await StartAsync(source: source);

        await Eventually.TrueAsync(() => _store.AllBans.Count == 1, EngineHarness.Wait, "kept ban stored");
        Assert.Equal(2, Assert.Single(_store.AllBans).Failures);
        await Eventually.TrueAsync(() => _store.Failures.All(f => f.Id != "192.0.2.7"), EngineHarness.Wait, "settled failures cleared");
        Assert.Equal(2, _store.Failures.Count(f => f.Id == "192.0.2.8"));

        // The other address's stored failures still count: a third one bans it.
        source.Write(FakeLineFilter.Line("192.0.2.8"));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.8"), EngineHarness.Wait, "third failure bans");
    }

    // IDisposable: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017), which left its engines running.
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task<Core.Engine.BanEngine> StartAsync(Core.Engine.EngineOptions? options = null, QueueLogSource? source = null) =>
        _engines.StartAsync(
            new Jail(new JailPolicy("sshd", 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty), new FakeLineFilter(_time)),
            source ?? new QueueLogSource(),
            options);
}
