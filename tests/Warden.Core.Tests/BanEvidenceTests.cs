using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>What a ban keeps of why it happened: the lines, their time and source, the count, the step, who.</summary>
public sealed class BanEvidenceTests
{
    private const string AuthLog = "file:/var/log/auth.log";
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingSink _sink = new();

    [Fact]
    public async Task DecideAsync_JailBan_KeepsTheLinesThatCausedItWithTimeAndSource()
    {
        var jail = Jail(maxRetry: 3);
        var decisions = Decisions(jail);

        for (var minute = 0; minute < 3; minute++)
        {
            _time.SetUtcNow(T0.AddMinutes(minute));
            decisions.Read([jail], [FakeLineFilter.Line("192.0.2.9"), FakeLineFilter.Line("198.51.100.1")], AuthLog);
        }

        await decisions.DecideAsync(default);

        var ban = _sink.Imposed.First(b => AddressParsing.Format(b.Target) == "192.0.2.9");
        Assert.Equal(
            [new(T0, AuthLog, "fail 192.0.2.9"), new(T0.AddMinutes(1), AuthLog, "fail 192.0.2.9"), new(T0.AddMinutes(2), AuthLog, "fail 192.0.2.9")],
            ban.Evidence);
        Assert.Equal(3, ban.Failures);
        Assert.Equal(TimeSpan.FromMinutes(30), ban.BanTime);
        Assert.Null(ban.By);
    }

    [Fact]
    public async Task DecideAsync_MoreFailuresThanEvidenceLines_KeepsTheNewest()
    {
        var jail = Jail(maxRetry: 5, evidenceLines: 2);
        var decisions = Decisions(jail);

        for (var second = 0; second < 5; second++)
        {
            _time.SetUtcNow(T0.AddSeconds(second));
            decisions.Read([jail], [FakeLineFilter.Line("192.0.2.9")], AuthLog);
        }

        await decisions.DecideAsync(default);

        Assert.Equal([T0.AddSeconds(3), T0.AddSeconds(4)], Assert.Single(_sink.Imposed).Evidence.Select(e => e.Time));
    }

    [Fact]
    public async Task DecideAsync_EvidenceLinesZero_KeepsNone()
    {
        var jail = Jail(maxRetry: 1, evidenceLines: 0);
        var decisions = Decisions(jail);

        decisions.Read([jail], [FakeLineFilter.Line("192.0.2.9")], AuthLog);
        await decisions.DecideAsync(default);

        Assert.Empty(Assert.Single(_sink.Imposed).Evidence);
    }

    [Fact]
    public async Task DecideAsync_EscalatedBan_RecordsTheStepAndTheLongerBanTime()
    {
        var increment = new BanTimeIncrement { Factor = 1, Memory = TimeSpan.FromDays(7) };
        var jail = new Jail(new JailPolicy("sshd", 1, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), AddressSet.Empty) { Increment = increment }, new FakeLineFilter(_time));
        var history = InMemoryStateStore.Holding([new Ban("sshd", AddressParsing.HostNetwork(System.Net.IPAddress.Parse("192.0.2.9")), T0.AddHours(-2), T0.AddHours(-1), BanOrigin.Jail, 1)]);
        var decisions = new BanDecisions(new JailSet([jail]), new BanBook(), new BanGuard(AddressSet.Empty), _sink, history, _time, () => 0, NullLogger.Instance);

        decisions.Read([jail], [FakeLineFilter.Line("192.0.2.9")], AuthLog);
        await decisions.DecideAsync(default);

        var ban = Assert.Single(_sink.Imposed);
        Assert.Equal(1, ban.PriorBans);
        Assert.True(ban.BanTime > TimeSpan.FromMinutes(30), $"bantime {ban.BanTime}");
    }

    [Fact]
    public async Task BanAsync_ManualBan_SaysWhoMadeIt()
    {
        var jail = Jail(maxRetry: 3);
        var decisions = Decisions(jail);

        var outcome = await decisions.BanAsync("sshd", AddressParsing.HostNetwork(System.Net.IPAddress.Parse("192.0.2.9")), null, BanOrigin.Manual, "uid 0", default);

        Assert.Equal("uid 0", outcome.Ban!.By);
        Assert.Equal("uid 0", Assert.Single(_sink.Imposed).By);
        Assert.Empty(outcome.Ban.Evidence);
    }

    private Jail Jail(int maxRetry, int evidenceLines = 10) =>
        new(new JailPolicy("sshd", maxRetry, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), AddressSet.Empty) { EvidenceLines = evidenceLines }, new FakeLineFilter(_time));

    private BanDecisions Decisions(Jail jail) =>
        new(new JailSet([jail]), new BanBook(), new BanGuard(AddressSet.Empty), _sink, null, _time, () => 0, NullLogger.Instance);
}
