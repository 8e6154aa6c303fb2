using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.TestKit;

namespace Warden.Core.Tests;

public sealed class BanEngineTests : IDisposable
{
    private static readonly TimeSpan Wait = EngineHarness.Wait;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly EngineHarness _engines;

    public BanEngineTests() => _engines = new EngineHarness(_time, _firewall, _store) { History = _store };

    [Fact]
    public async Task RunAsync_MaxRetryFailures_BansInFirewallAndStore()
    {
        var source = new QueueLogSource();
        var engine = await StartAsync(source, Policy(maxRetry: 3));

        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"));
        source.Write("noise", FakeLineFilter.Line("192.0.2.7"));

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "ban in firewall");
        await Eventually.TrueAsync(() => _store.AllBans.Count == 1, Wait, "ban in store");
        var ban = _store.AllBans[0];
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), ban.Expires);
        Assert.Equal(BanOrigin.Jail, ban.Origin);
        Assert.Equal(3, ban.Failures);
        Assert.Equal(1, engine.Jails[0].Stats.Bans);
        await Eventually.TrueAsync(() => _store.Checkpoint(source.Id) == "4", Wait, "checkpoint after the 4 lines");
    }

    [Fact]
    public async Task RunAsync_FewerThanMaxRetry_DoesNotBan()
    {
        var source = new QueueLogSource();
        var engine = await StartAsync(source, Policy(maxRetry: 3));

        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.8"), FakeLineFilter.Line("192.0.2.7"));

        await Eventually.TrueAsync(() => engine.Stats.Lines == 3, Wait, "lines read");
        await Eventually.TrueAsync(() => _store.Failures.Count == 3, Wait, "failures stored");
        Assert.Empty(_firewall.Bans);
    }

    [Fact]
    public async Task RunAsync_IgnoredAddress_IsNeverBanned()
    {
        var source = new QueueLogSource();
        var ignore = new AddressSet([AddressParsing.ToNetwork(System.Net.IPAddress.Parse("192.0.2.0"), 24)]);
        var engine = await StartAsync(source, Policy(maxRetry: 1) with { Ignore = ignore });

        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("198.51.100.1"));

        await Eventually.TrueAsync(() => _firewall.Holds("198.51.100.1"), Wait, "other address banned");
        Assert.False(_firewall.Holds("192.0.2.7"));
        Assert.Equal(1, engine.Jails[0].Stats.Ignored);
    }

    [Fact]
    public async Task RunAsync_EngineAllowlist_BeatsJail()
    {
        var source = new QueueLogSource();
        var allow = new AddressSet([AddressParsing.HostNetwork(System.Net.IPAddress.Parse("192.0.2.7"))]);
        var engine = await StartAsync(source, Policy(maxRetry: 1), new EngineOptions { Allowlist = allow });

        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("::ffff:192.0.2.7"));

        await Eventually.TrueAsync(() => engine.Jails[0].Stats.Ignored == 2, Wait, "both forms ignored");
        Assert.Empty(_firewall.Bans);
    }

    [Fact]
    public async Task RunAsync_FailureOlderThanFindTime_IsNotCounted()
    {
        var source = new QueueLogSource();
        var engine = await StartAsync(source, Policy(maxRetry: 1));
        var old = _time.GetUtcNow() - TimeSpan.FromHours(2);

        source.Write($"fail 192.0.2.7 at {old.ToUnixTimeSeconds()}");

        await Eventually.TrueAsync(() => engine.Jails[0].Stats.Stale == 1, Wait, "stale failure");
        Assert.Empty(_firewall.Bans);
    }

    [Fact]
    public async Task RunAsync_Restart_RestoresActiveBansOnlyAndResumesCounts()
    {
        var source = new QueueLogSource();
        var policy = Policy(maxRetry: 3);
        await StartAsync(source, policy);
        source.Write(FakeLineFilter.Line("192.0.2.1"), FakeLineFilter.Line("192.0.2.1"), FakeLineFilter.Line("192.0.2.1"));
        source.Write(FakeLineFilter.Line("192.0.2.2"), FakeLineFilter.Line("192.0.2.2"));
        await Eventually.TrueAsync(() => _store.Failures.Count == 2 && _store.AllBans.Count == 1, Wait, "first run state");
        await StopAllAsync();

        // A second ban that is already over when the daemon comes back.
        var expired = new Ban("sshd", AddressParsing.HostNetwork(System.Net.IPAddress.Parse("192.0.2.9")), _time.GetUtcNow() - TimeSpan.FromHours(3), _time.GetUtcNow() - TimeSpan.FromHours(2), BanOrigin.Manual, 0);
        var changes = new Core.Ports.StateChanges();
        changes.Bans.Add(expired);
        await _store.CommitAsync(changes, CancellationToken.None);
        _firewall.Calls.Clear();

        var source2 = new QueueLogSource();
        await StartAsync(source2, policy);

        Assert.Equal("apply", _firewall.Calls[0]);
        Assert.True(_firewall.Holds("192.0.2.1"));
        Assert.False(_firewall.Holds("192.0.2.9"));

        // Two failures of 192.0.2.2 were stored; one more reaches maxretry.
        source2.Write(FakeLineFilter.Line("192.0.2.2"));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.2"), Wait, "resumed count bans");
    }

    [Fact]
    public async Task RunAsync_BanExpires_UnbansWhenFirewallDoesNotExpireItself()
    {
        _firewall.ExpiresBans = false;
        var source = new QueueLogSource();
        await StartAsync(source, Policy(maxRetry: 1) with { BanTime = TimeSpan.FromMinutes(5) });
        source.Write(FakeLineFilter.Line("192.0.2.7"));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "banned");

        _time.Advance(TimeSpan.FromMinutes(6));

        await Eventually.TrueAsync(() => !_firewall.Holds("192.0.2.7"), Wait, "unbanned at expiry");
        Assert.Contains("unban", _firewall.Calls);
    }

    [Fact]
    public async Task RunAsync_FirewallFailsThenRecovers_ReappliesWholeState()
    {
        var source = new QueueLogSource();
        var engine = await StartAsync(source, Policy(maxRetry: 1));
        _firewall.Broken = true;
        source.Write(FakeLineFilter.Line("192.0.2.7"));
        await Eventually.TrueAsync(() => engine.Stats.FirewallErrors >= 1, Wait, "firewall failure seen");

        _firewall.Broken = false;
        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                return _firewall.Holds("192.0.2.7");
            },
            Wait,
            "ban applied after recovery");
        Assert.Contains("apply", _firewall.Calls.Skip(1));
    }

    [Fact]
    public async Task RunAsync_FirewallBrokenFromTheStart_SaysSoAndLogsTheExceptionOnce()
    {
        var log = new RecordingLogger();
        await using var engines = new EngineHarness(_time, _firewall, _store) { Logger = log };
        _firewall.Broken = true;
        var engine = await engines.StartAsync(new Jail(Policy(maxRetry: 1), new FakeLineFilter(_time)), new QueueLogSource());

        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromSeconds(30));
                return engine.Stats.FirewallErrors >= 4;
            },
            Wait,
            "four failed attempts");

        var lines = log.Lines;
        Assert.DoesNotContain(lines, l => l.EventId == 1000);
        Assert.Contains(lines, l => l.EventId == 1002 && l.Text.Contains("NOT yet in", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Exception is not null);
        Assert.True(lines.Count(l => l.EventId == 1034) >= 3, string.Join("\n", lines.Select(l => l.Text)));
    }

    // IDisposable: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017), which left its engines running.
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static JailPolicy Policy(int maxRetry) =>
        new("sshd", maxRetry, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty);

    private Task<BanEngine> StartAsync(QueueLogSource source, JailPolicy policy, EngineOptions? options = null) =>
        _engines.StartAsync(new Jail(policy, new FakeLineFilter(_time)), source, options);

    private Task StopAllAsync() => _engines.StopAllAsync();
}
