using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.Core.Replay;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>A replay of log lines at their own times, through the same decisions as the engine.</summary>
public sealed class LogReplayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_BansAtTheLinesTime_AndABannedAddressStartsNoNewBanUntilItExpires()
    {
        var jail = Jail("sshd", maxRetry: 3, banTime: TimeSpan.FromMinutes(10));
        // Three failures in 2 minutes: a ban at minute 2. Three more while banned: nothing.
        // Three after the ban expired (minute 12): a second ban at minute 14.
        var log = Lines("192.0.2.1", 0, 1, 2, 3, 4, 5, 12, 13, 14);

        var bans = await ReplayAsync([new ReplayInput("auth.log", log, [jail])]);

        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(14)], bans.Select(b => b.Start));
        Assert.All(bans, b => Assert.Equal(TimeSpan.FromMinutes(10), b.Expires - b.Start));
        Assert.Equal(3, bans[0].Evidence.Count);
        Assert.All(bans[0].Evidence, e => Assert.Equal("auth.log", e.Source));
        Assert.Equal(6, jail.Stats.Failures);
    }

    [Fact]
    public async Task Run_TwoLogs_AreMergedByTime()
    {
        var jail = Jail("sshd", maxRetry: 3, banTime: TimeSpan.FromMinutes(10));
        // The address fails at minutes 0 and 20 in one log and at 1, 2 in the other. Read one log
        // after the other, the failures at 1 and 2 would come after minute 20, stale, and nobody
        // would be banned; merged by time the third failure is at minute 2.
        var first = Lines("192.0.2.1", 0, 20);
        var second = Lines("192.0.2.1", 1, 2);

        var bans = await ReplayAsync([new ReplayInput("a.log", first, [jail]), new ReplayInput("b.log", second, [jail])]);

        Assert.Equal(T0.AddMinutes(2), Assert.Single(bans).Start);
    }

    [Fact]
    public async Task Run_BanTimeIncrement_EscalatesFromTheReplaysOwnHistory()
    {
        var jail = new Jail(
            new JailPolicy("sshd", 2, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), AddressSet.Empty) { Increment = new BanTimeIncrement() },
            new FakeLineFilter(TimeProvider.System));
        var log = Lines("192.0.2.1", 0, 1, 30, 31);

        var bans = await ReplayAsync([new ReplayInput("auth.log", log, [jail])]);

        Assert.Equal([0, 1], bans.Select(b => b.PriorBans));
        Assert.True(bans[1].Expires - bans[1].Start > bans[0].Expires - bans[0].Start);
    }

    [Fact]
    public async Task Run_Since_SkipsEarlierFailures()
    {
        var jail = Jail("sshd", maxRetry: 3, banTime: TimeSpan.FromMinutes(10));
        var log = Lines("192.0.2.1", 0, 1, 2, 3);

        var bans = await ReplayAsync([new ReplayInput("auth.log", log, [jail])], since: T0.AddMinutes(1));

        Assert.Equal(T0.AddMinutes(3), Assert.Single(bans).Start);
        Assert.Equal(3, jail.Stats.Failures);
    }

    [Fact]
    public async Task Run_AllowlistedAddress_IsNeverBanned()
    {
        var jail = Jail("sshd", maxRetry: 1, banTime: TimeSpan.FromMinutes(10));
        var allow = new AddressSet([AddressParsing.ToNetwork(System.Net.IPAddress.Parse("192.0.2.0"), 24)]);

        var bans = await ReplayAsync([new ReplayInput("auth.log", Lines("192.0.2.1", 0, 1), [jail])], allow);

        Assert.Empty(bans);
        Assert.Equal(2, jail.Stats.Ignored);
    }

    [Fact]
    public async Task Run_LongLogsOfTwoJails_ReadAheadGivesTheBansOfOneThreadInOrder()
    {
        // 20,000 lines per log, one a second, with failures of 50 addresses in turn: the logs are read
        // and filtered on their own threads (each jail reads one log), in batches.
        static IEnumerable<string> Log(string prefix) => Enumerable.Range(0, 20_000).Select(i =>
            i % 4 == 0 ? $"fail {prefix}.0.{i / 4 % 50} at {T0.AddSeconds(i).ToUnixTimeSeconds()}" : "noise");
        var sshd = Jail("sshd", maxRetry: 3, banTime: TimeSpan.FromHours(1));
        var nginx = Jail("nginx", maxRetry: 3, banTime: TimeSpan.FromHours(1));
        var inputs = new[] { new ReplayInput("a.log", Log("10.1"), [sshd]), new ReplayInput("b.log", Log("10.2"), [nginx]) };

        var bans = await ReplayAsync(inputs);

        // What the merge must give: each jail's bans in its log's order, the two interleaved by time.
        Assert.Equal(bans.OrderBy(b => b.Start).Select(b => (b.Jail, b.Target)), bans.Select(b => (b.Jail, b.Target)));
        Assert.Equal(bans.Count(b => b.Jail == "sshd"), bans.Count(b => b.Jail == "nginx"));
        Assert.True(bans.Count > 100, $"{bans.Count} bans");
        Assert.All(bans, b => Assert.Equal(3, b.Failures));
    }

    [Fact]
    public async Task Run_ALogThatFailsWhileRead_FailsTheReplay()
    {
        static IEnumerable<string> Broken()
        {
            yield return $"fail 192.0.2.1 at {T0.ToUnixTimeSeconds()}";
            throw new IOException("disk went away");
        }

        var jail = Jail("sshd", maxRetry: 3, banTime: TimeSpan.FromHours(1));
        var replay = new LogReplay([jail]);

        var error = await Assert.ThrowsAsync<IOException>(() => replay.RunAsync([new ReplayInput("a.log", Broken(), [jail])], _ => { }));

        Assert.Equal("disk went away", error.Message);
    }

    private static Jail Jail(string name, int maxRetry, TimeSpan banTime) =>
        new(new JailPolicy(name, maxRetry, TimeSpan.FromMinutes(10), banTime, AddressSet.Empty),
            new FakeLineFilter(TimeProvider.System));

    private static IEnumerable<string> Lines(string address, params int[] minutes) =>
        minutes.Select(m => $"fail {address} at {T0.AddMinutes(m).ToUnixTimeSeconds()}");

    private static async Task<List<Ban>> ReplayAsync(IReadOnlyList<ReplayInput> inputs, AddressSet? allow = null, DateTimeOffset? since = null)
    {
        var bans = new List<Ban>();
        var replay = new LogReplay([.. inputs.SelectMany(i => i.Jails).Distinct()], allow) { Since = since };
        var result = await replay.RunAsync(inputs, bans.Add);
        Assert.Equal(inputs.Sum(i => i.Lines.Count()), result.Lines);
        return bans;
    }
}
