using System.Net;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>The engine's ban decisions: escalation, aggregation, the allowlist guard, recidive, admin commands.</summary>
public sealed class BanEnginePolicyTests : IDisposable
{
    private static readonly TimeSpan Wait = EngineHarness.Wait;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly EngineHarness _engines;

    public BanEnginePolicyTests() => _engines = new EngineHarness(_time, _firewall, _store) { History = _store };

    [Fact]
    public async Task RunAsync_RepeatOffender_BanTimeDoublesEachTimeUpToMaxTime()
    {
        var source = new QueueLogSource();
        var policy = Policy("sshd", maxRetry: 2) with
        {
            BanTime = TimeSpan.FromMinutes(10),
            Increment = new BanTimeIncrement { MaxTime = TimeSpan.FromHours(1) },
        };
        await StartAsync(source, [policy]);
        var banTimes = new List<TimeSpan?>();

        for (var round = 0; round < 5; round++)
        {
            source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"));
            await Eventually.TrueAsync(() => _store.AllBans.Count(b => b.IsActiveAt(_time.GetUtcNow())) == 1, Wait, $"ban {round + 1}");
            var ban = _store.AllBans.Single(b => b.IsActiveAt(_time.GetUtcNow()));
            banTimes.Add(ban.Expires - ban.Start);

            // Wait out the ban (plus a minute), then offend again.
            _time.Advance((ban.Expires!.Value - _time.GetUtcNow()) + TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(() => !_firewall.Holds("192.0.2.7") || _firewall.ExpiresBans, Wait, "expired");
        }

        Assert.Equal(
            [TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(40), TimeSpan.FromHours(1), TimeSpan.FromHours(1)],
            banTimes);
        Assert.Equal(5, _store.History.Count);
    }

    [Fact]
    public async Task RunAsync_OverallJails_CountsBansOfOtherJails()
    {
        var source = new QueueLogSource();
        var increment = new BanTimeIncrement { OverallJails = true };
        var sshd = Policy("sshd", maxRetry: 1) with { BanTime = TimeSpan.FromMinutes(10), Increment = increment };
        var nginx = Policy("nginx", maxRetry: 1) with { BanTime = TimeSpan.FromMinutes(10), Increment = increment };
        var engine = await StartAsync(source, [sshd, nginx], jailsShareSource: false);

        await engine.BanAsync("nginx", Host("192.0.2.7"), TimeSpan.FromMinutes(1), BanOrigin.Manual, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        source.Write(FakeLineFilter.Line("192.0.2.7"));

        await Eventually.TrueAsync(() => _store.AllBans.Any(b => b.Jail == "sshd"), Wait, "sshd ban");
        var ban = _store.AllBans.Single(b => b.Jail == "sshd");
        Assert.Equal(TimeSpan.FromMinutes(20), ban.Expires - ban.Start);
        Assert.Equal(1, ban.PriorBans);
    }

    [Fact]
    public async Task RunAsync_ThreeAddressesOfOne64_BansThePrefixAndLiftsTheSingleBans()
    {
        var source = new QueueLogSource();
        var policy = Policy("sshd", maxRetry: 1) with { Aggregation = new PrefixAggregation() };
        await StartAsync(source, [policy]);

        source.Write(FakeLineFilter.Line("2001:db8:0:1::1"), FakeLineFilter.Line("2001:db8:0:1::2"), FakeLineFilter.Line("2001:db8:0:2::9"));
        await Eventually.TrueAsync(() => _firewall.Bans.Count == 3, Wait, "three single bans");
        source.Write(FakeLineFilter.Line("2001:db8:0:1:abcd::3"));

        await Eventually.TrueAsync(() => _firewall.Bans.Any(b => b.Origin == BanOrigin.Prefix), Wait, "prefix ban");
        Assert.Equal(
            ["2001:db8:0:1::/64", "2001:db8:0:2::9"],
            _firewall.Bans.Select(b => AddressParsing.Format(b.Target)).Order(StringComparer.Ordinal));
        Assert.True(_firewall.Holds("2001:db8:0:1::7777"));
        await Eventually.TrueAsync(() => _store.History.Count(h => h.Lifted is not null) == 3, Wait, "single bans recorded as lifted");
    }

    [Fact]
    public async Task RunAsync_PrefixHoldingAnIgnoredAddress_KeepsSingleBans()
    {
        var source = new QueueLogSource();
        var ignore = new AddressSet([Host("2001:db8:0:1::53")]);
        var policy = Policy("sshd", maxRetry: 1) with { Aggregation = new PrefixAggregation { Threshold = 2 }, Ignore = ignore };
        var engine = await StartAsync(source, [policy]);

        source.Write(FakeLineFilter.Line("2001:db8:0:1::1"), FakeLineFilter.Line("2001:db8:0:1::2"));

        await Eventually.TrueAsync(() => engine.Jails[0].Stats.Refused == 1, Wait, "prefix ban refused");
        Assert.Equal(2, _firewall.Bans.Count);
        Assert.All(_firewall.Bans, b => Assert.True(AddressParsing.IsHost(b.Target)));
        Assert.False(_firewall.Holds("2001:db8:0:1::53"));
    }

    [Fact]
    public async Task BanAsync_TargetCoveringAllowlistedOrEveryAddress_IsRefusedAndNotRecorded()
    {
        var allow = new AddressSet([Host("203.0.113.10")]);
        var engine = await StartAsync(new QueueLogSource(), [Policy("sshd", 3) with { Ignore = new AddressSet([Host("192.0.2.1")]) }], options: new EngineOptions { Allowlist = allow });

        var everything = await engine.BanAsync("sshd", Net("0.0.0.0/0"), null, BanOrigin.Manual, CancellationToken.None);
        var everything6 = await engine.BanAsync("sshd", Net("::/0"), null, BanOrigin.Fleet, CancellationToken.None);
        var own = await engine.BanAsync("sshd", Net("203.0.113.0/24"), null, BanOrigin.Fleet, CancellationToken.None);
        var ignored = await engine.BanAsync("sshd", Net("192.0.2.0/30"), null, BanOrigin.Manual, CancellationToken.None);
        var fine = await engine.BanAsync("sshd", Net("198.51.100.0/24"), TimeSpan.FromHours(2), BanOrigin.Manual, CancellationToken.None);

        Assert.Equal(BanRefusal.EveryAddress, everything.Refusal);
        Assert.Equal(BanRefusal.EveryAddress, everything6.Refusal);
        Assert.Equal(BanRefusal.Allowlisted, own.Refusal);
        Assert.Equal(BanRefusal.Ignored, ignored.Refusal);
        Assert.NotNull(fine.Ban);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(2), fine.Ban.Expires);
        Assert.Equal(["198.51.100.0/24"], _store.AllBans.Select(b => AddressParsing.Format(b.Target)));
        Assert.Equal(["198.51.100.0/24"], _firewall.Bans.Select(b => AddressParsing.Format(b.Target)));
    }

    [Fact]
    public async Task BanAsync_UnknownJail_SaysSo()
    {
        var engine = await StartAsync(new QueueLogSource(), [Policy("sshd", 3)]);

        var outcome = await engine.BanAsync("nope", Host("192.0.2.7"), null, BanOrigin.Manual, CancellationToken.None);

        Assert.Equal("nope", outcome.UnknownJail);
        Assert.Empty(_firewall.Bans);
    }

    [Fact]
    public async Task UnbanAsync_AddressInsideAPrefixBan_LiftsThePrefixAndRecordsIt()
    {
        var engine = await StartAsync(new QueueLogSource(), [Policy("sshd", 3), Policy("nginx", 3)]);
        await engine.BanAsync("sshd", Net("198.51.100.0/24"), null, BanOrigin.Manual, CancellationToken.None);
        await engine.BanAsync("nginx", Host("198.51.100.7"), BanDecisions.Permanent, BanOrigin.Manual, CancellationToken.None);
        await engine.BanAsync("nginx", Host("192.0.2.1"), null, BanOrigin.Manual, CancellationToken.None);

        var lifted = await engine.UnbanAsync(Host("198.51.100.7"), CancellationToken.None);

        Assert.Equal(2, lifted.Count);
        Assert.Equal(["192.0.2.1"], _firewall.Bans.Select(b => AddressParsing.Format(b.Target)));
        Assert.Equal(2, _store.History.Count(h => h.Lifted == _time.GetUtcNow()));
        var all = await engine.UnbanAllAsync(CancellationToken.None);
        Assert.Single(all);
        Assert.Empty(_firewall.Bans);
        Assert.Equal(0, (await engine.StatusAsync(CancellationToken.None)).BansInForce);
    }

    [Fact]
    public async Task RunAsync_RecidiveJail_BansAnAddressBannedRepeatedlyByOtherJails()
    {
        var source = new QueueLogSource();
        var sshd = Policy("sshd", maxRetry: 1) with { BanTime = TimeSpan.FromMinutes(1) };
        var recidive = Policy("recidive", maxRetry: 3) with { FindTime = TimeSpan.FromDays(1), BanTime = TimeSpan.FromDays(7), CountsBans = true };
        var engine = await StartAsync(source, [sshd, recidive], jailsShareSource: false);

        for (var i = 0; i < 3; i++)
        {
            source.Write(FakeLineFilter.Line("192.0.2.7"));
            await Eventually.TrueAsync(() => _store.History.Count(h => h.Ban.Jail == "sshd") == i + 1, Wait, $"sshd ban {i + 1}");
            _time.Advance(TimeSpan.FromMinutes(2));
            await Eventually.TrueAsync(async () => (await engine.ListBansAsync(CancellationToken.None)).All(b => b.Jail != "sshd"), Wait, "sshd ban over");
        }

        await Eventually.TrueAsync(() => _store.AllBans.Any(b => b.Jail == "recidive"), Wait, "recidive ban");
        var ban = _store.AllBans.Single(b => b.Jail == "recidive");
        Assert.Equal(TimeSpan.FromDays(7), ban.Expires - ban.Start);
        Assert.Equal(3, ban.Failures);
    }

    [Fact]
    public async Task RunAsync_IgnoreCheckSaysIgnore_DoesNotBan()
    {
        var source = new QueueLogSource();
        var check = new ListIgnoreCheck("192.0.2.7");
        var jail = new Jail(Policy("sshd", 1), new FakeLineFilter(_time), check);
        var engine = await StartAsync(source, jail);

        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.8"));

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.8"), Wait, "other address banned");
        Assert.False(_firewall.Holds("192.0.2.7"));
        Assert.Equal(["192.0.2.7", "192.0.2.8"], check.Asked);
        Assert.Equal(1, engine.Jails[0].Stats.Ignored);
    }

    [Fact]
    public async Task RunAsync_MaxMatches_BanCarriesTheLastLines()
    {
        var source = new QueueLogSource();
        await StartAsync(source, [Policy("sshd", 3) with { MaxMatches = 2 }]);

        source.Write("fail 192.0.2.7", "fail ::ffff:192.0.2.7", "fail 192.0.2.7 at " + _time.GetUtcNow().ToUnixTimeSeconds());

        await Eventually.TrueAsync(() => _firewall.Bans.Count == 1, Wait, "banned");
        Assert.Equal(["fail ::ffff:192.0.2.7", "fail 192.0.2.7 at " + _time.GetUtcNow().ToUnixTimeSeconds()], _firewall.Bans.Single().Matches);
    }

    [Fact]
    public async Task SetResolvedIgnoreAsync_NewlyIgnoredAddress_LiftsItsBan()
    {
        var engine = await StartAsync(new QueueLogSource(), [Policy("sshd", 3)]);
        await engine.BanAsync("sshd", Host("192.0.2.7"), null, BanOrigin.Manual, CancellationToken.None);

        var lifted = await engine.SetResolvedIgnoreAsync("sshd", new AddressSet([Host("192.0.2.7")]), CancellationToken.None);

        Assert.Single(lifted);
        Assert.Empty(_firewall.Bans);
        var again = await engine.BanAsync("sshd", Host("192.0.2.7"), null, BanOrigin.Manual, CancellationToken.None);
        Assert.Equal(BanRefusal.Ignored, again.Refusal);
    }

    [Fact]
    public async Task RunAsync_StoredBanNowAllowlisted_IsNotRestored()
    {
        var changes = new StateChanges();
        changes.Bans.Add(new Ban("sshd", Host("203.0.113.10"), _time.GetUtcNow(), null, BanOrigin.Manual, 0));
        changes.Bans.Add(new Ban("sshd", Host("198.51.100.1"), _time.GetUtcNow(), null, BanOrigin.Manual, 0));
        await _store.CommitAsync(changes, CancellationToken.None);

        await StartAsync(new QueueLogSource(), [Policy("sshd", 3)], options: new EngineOptions { Allowlist = new AddressSet([Host("203.0.113.10")]) });

        Assert.Equal(["198.51.100.1"], _firewall.Bans.Select(b => AddressParsing.Format(b.Target)));
        await Eventually.TrueAsync(() => _store.AllBans.Count == 1, Wait, "allowlisted stored ban lifted");
    }

    // IDisposable: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017), which left its engines running.
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Fact]
    public async Task StatusAsync_SourceThatDropsLines_ItsCountIsInTheStatus()
    {
        var source = new QueueLogSource("nflog:9") { Dropped = 17 };
        var engine = await StartAsync(source, [Policy("portscan", 3)]);

        var status = await engine.StatusAsync(CancellationToken.None);

        var only = Assert.Single(status.Sources);
        Assert.Equal(("nflog:9", 17L), (only.Id, only.Dropped));
    }

    private static JailPolicy Policy(string name, int maxRetry) =>
        new(name, maxRetry, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty);

    private static IPNetwork Host(string address) => AddressParsing.HostNetwork(IPAddress.Parse(address));

    private static IPNetwork Net(string text) =>
        AddressParsing.TryParseNetwork(text, out var network) ? network : throw new ArgumentException(text);

    private Task<BanEngine> StartAsync(QueueLogSource source, JailPolicy[] policies, bool jailsShareSource = true, EngineOptions? options = null)
    {
        var jails = policies.Select(p => new Jail(p, new FakeLineFilter(_time))).ToArray();
        // A recidive jail (CountsBans) reads no log; otherwise the first jail (or all) read the source.
        var readers = jailsShareSource ? jails.Where(j => !j.Policy.CountsBans).ToArray() : [jails[0]];
        return StartAsync(source, readers, jails, options);
    }

    private Task<BanEngine> StartAsync(QueueLogSource source, Jail jail) => StartAsync(source, [jail], [jail], null);

    private Task<BanEngine> StartAsync(QueueLogSource source, Jail[] readers, Jail[] jails, EngineOptions? options) =>
        _engines.StartAsync(jails, [new SourceBinding(source, readers)], options);

    private sealed class ListIgnoreCheck(params string[] ignored) : IIgnoreCheck
    {
        public List<string> Asked { get; } = [];

        public Task<bool> IsIgnoredAsync(string jail, IPAddress address, CancellationToken cancellationToken)
        {
            Asked.Add(address.ToString());
            return Task.FromResult(ignored.Contains(address.ToString()));
        }
    }
}
