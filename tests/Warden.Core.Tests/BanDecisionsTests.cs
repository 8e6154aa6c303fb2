using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>The decisions alone, without the engine loop, a firewall or a store: as a replay drives them.</summary>
public sealed class BanDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingSink _sink = new();

    [Fact]
    public async Task Read_LinesReplayedAtTheirOwnTime_BanOnlyInsideFindTimeAndExpire()
    {
        var jail = new Jail(new JailPolicy("sshd", 3, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), AddressSet.Empty), new FakeLineFilter(_time));
        var decisions = Decisions(jail);

        // 192.0.2.1 fails three times in 9 minutes, 192.0.2.2 three times in 20: only the first is banned.
        await ReplayAsync(decisions, jail, (0, "192.0.2.1"), (0, "192.0.2.2"), (4, "192.0.2.1"), (9, "192.0.2.1"), (10, "192.0.2.2"), (20, "192.0.2.2"));

        var ban = Assert.Single(_sink.Imposed);
        Assert.Equal("192.0.2.1", AddressParsing.Format(ban.Target));
        Assert.Equal(T0.AddMinutes(9), ban.Start);
        Assert.Equal(T0.AddMinutes(39), ban.Expires);
        Assert.Equal(6, _sink.Counted.Count);
        Assert.Equal([("sshd", "192.0.2.1")], _sink.Settled);

        _time.SetUtcNow(T0.AddMinutes(40));
        decisions.Expire();

        Assert.Equal([ban], _sink.Expired);
    }

    [Fact]
    public async Task BanAsync_ManualBanOfAnAllowlistedNetwork_IsRefusedAndNothingReachesTheSink()
    {
        var jail = new Jail(new JailPolicy("sshd", 3, TimeSpan.FromMinutes(10), null, AddressSet.Empty), new FakeLineFilter(_time));
        var allow = new AddressSet([AddressParsing.HostNetwork(System.Net.IPAddress.Parse("198.51.100.7"))]);
        var decisions = new BanDecisions(new JailSet([jail]), new BanBook(), new BanGuard(allow), _sink, null, _time, () => 0, NullLogger.Instance);

        var outcome = await decisions.BanAsync("sshd", AddressParsing.ToNetwork(System.Net.IPAddress.Parse("198.51.100.0"), 24), null, BanOrigin.Manual, default);

        Assert.Equal(BanRefusal.Allowlisted, outcome.Refusal);
        Assert.Empty(_sink.Imposed);
        Assert.Equal(1, jail.Stats.Refused);
    }

    [Fact]
    public async Task DecideAsync_Ban_LogsItsExpiryAsIso8601InUtc()
    {
        var lines = new List<string>();
        var jail = new Jail(new JailPolicy("sshd", 1, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), AddressSet.Empty), new FakeLineFilter(_time));
        var decisions = new BanDecisions(new JailSet([jail]), new BanBook(), new BanGuard(AddressSet.Empty), _sink, null, _time, () => 0, new TestOutputLogger(lines.Add));

        await ReplayAsync(decisions, jail, (0, "192.0.2.1"));

        Assert.Contains(lines, line => line.Contains("[sshd] Ban 192.0.2.1 until 2026-11-01T12:30:00Z (Jail, 1 failures)", StringComparison.Ordinal));
    }

    private BanDecisions Decisions(Jail jail) =>
        new(new JailSet([jail]), new BanBook(), new BanGuard(AddressSet.Empty), _sink, null, _time, () => 0, NullLogger.Instance);

    // Each line read with the clock at the line's own minute, as a replay of an old log does.
    private async Task ReplayAsync(BanDecisions decisions, Jail jail, params (int Minute, string Address)[] lines)
    {
        foreach (var (minute, address) in lines)
        {
            _time.SetUtcNow(T0.AddMinutes(minute));
            decisions.Read([jail], [FakeLineFilter.Line(address)]);
            await decisions.DecideAsync(default);
        }
    }
}
