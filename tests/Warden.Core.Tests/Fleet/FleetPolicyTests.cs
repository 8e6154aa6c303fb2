using Warden.Core.Fleet;

namespace Warden.Core.Tests.Fleet;

public sealed class FleetPolicyTests : IDisposable
{
    private readonly FleetSigner _a;
    private readonly FleetSigner _c;
    private readonly PeerKeys _peers;
    private readonly FleetStats _stats = new();

    public FleetPolicyTests()
    {
        _a = FleetTestKeys.Signer("a", out var aKeys);
        _c = FleetTestKeys.Signer("c", out var cKeys);
        _peers = FleetTestKeys.Peers(("a", aKeys), ("c", cKeys));
    }

    public void Dispose()
    {
        _a.Dispose();
        _c.Dispose();
        _peers.Dispose();
    }

    private FleetPolicy Policy(FleetPolicyOptions? options = null) => new(options ?? new FleetPolicyOptions { Node = "c" }, _peers, _stats);

    [Fact]
    public void Judge_SignedBanOfAPeer_AppliesForTheTimeLeft()
    {
        var policy = Policy();
        var entry = _a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7", TimeSpan.FromHours(1)));

        var verdict = policy.Judge(entry, FleetTestKeys.Now.AddMinutes(20));

        Assert.True(verdict.Applies);
        Assert.Equal(TimeSpan.FromMinutes(40), verdict.Remaining);
        Assert.Equal(FleetTestKeys.Now.AddMinutes(20), _stats.LastHeard["a"]);
    }

    [Fact]
    public void Judge_LongerThanMaxBanTime_IsCapped()
    {
        var policy = Policy(new FleetPolicyOptions { Node = "c", MaxBanTime = TimeSpan.FromDays(1) });

        var long1 = policy.Judge(_a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7", TimeSpan.FromDays(30))), FleetTestKeys.Now);
        var permanent = policy.Judge(_a.Sign(FleetTestKeys.Ban(_a, "192.0.2.8") with { Expires = null }), FleetTestKeys.Now);

        Assert.Equal(TimeSpan.FromDays(1), long1.Remaining);
        Assert.Equal(TimeSpan.FromDays(1), permanent.Remaining);
    }

    [Fact]
    public void Judge_Expired_IsStale()
    {
        var verdict = Policy().Judge(_a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7", TimeSpan.FromMinutes(5))), FleetTestKeys.Now.AddMinutes(6));

        Assert.Equal(FleetDrop.Stale, verdict.Drop);
        Assert.Equal(1, _stats.Dropped(FleetDrop.Stale));
    }

    [Fact]
    public void Judge_Forged_IsDroppedAndCounted()
    {
        using var mallory = FleetTestKeys.Signer("a", out _);
        var forged = mallory.Sign(FleetTestKeys.Ban(mallory, "192.0.2.7"));

        var verdict = Policy().Judge(forged, FleetTestKeys.Now);

        Assert.Equal(FleetDrop.Forged, verdict.Drop);
        Assert.Equal(1, _stats.Rejected);
        Assert.False(_stats.LastHeard.ContainsKey("a"));
    }

    [Fact]
    public void Judge_UnknownOriginOrNoSignature_IsDroppedAndCounted()
    {
        using var stranger = FleetTestKeys.Signer("x", out _);
        var policy = Policy();

        var unknown = policy.Judge(stranger.Sign(FleetTestKeys.Ban(stranger, "192.0.2.7")), FleetTestKeys.Now);
        var unsigned = policy.Judge(_a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7")) with { Signature = "" }, FleetTestKeys.Now);
        var malformed = policy.Malformed();

        Assert.Equal(FleetDrop.UnknownOrigin, unknown.Drop);
        Assert.Equal(FleetDrop.NoSignature, unsigned.Drop);
        Assert.Equal(FleetDrop.Malformed, malformed.Drop);
        Assert.Equal(3, _stats.Rejected);
    }

    [Fact]
    public void Judge_SameEntryTwice_SecondIsAReplay()
    {
        var policy = Policy();
        var entry = _a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7"));

        Assert.True(policy.Judge(entry, FleetTestKeys.Now).Applies);
        Assert.Equal(FleetDrop.Replayed, policy.Judge(entry, FleetTestKeys.Now).Drop);
        Assert.Equal(1, _stats.Dropped(FleetDrop.Replayed));
    }

    [Fact]
    public void Judge_OldBanReplayedAfterItsUnban_IsDropped()
    {
        var policy = Policy();
        var ban = _a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7"));
        var unban = _a.Sign(FleetTestKeys.Unban(_a, "192.0.2.7/32"));
        policy.Judge(ban, FleetTestKeys.Now);
        policy.Judge(unban, FleetTestKeys.Now);

        Assert.Equal(FleetDrop.Replayed, policy.Judge(ban, FleetTestKeys.Now).Drop);
    }

    [Fact]
    public void Judge_ReplayAfterRestart_StillDroppedWithRestoredWatermarks()
    {
        var entry = _a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7"));
        var before = Policy();
        before.Judge(entry, FleetTestKeys.Now);

        var after = Policy();
        after.Restore(before.Watermarks);

        Assert.Equal(FleetDrop.Replayed, after.Judge(entry, FleetTestKeys.Now).Drop);
    }

    [Fact]
    public void Judge_SeenAgainDuringResync_IsSkippedWithoutCounting()
    {
        var policy = Policy();
        var entry = _a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7"));
        policy.Judge(entry, FleetTestKeys.Now);

        Assert.Equal(FleetDrop.Replayed, policy.Judge(entry, FleetTestKeys.Now, resync: true).Drop);
        Assert.Equal(0, _stats.Rejected);
    }

    [Fact]
    public void Judge_OwnEntry_IsNeverApplied()
    {
        var verdict = Policy().Judge(_c.Sign(FleetTestKeys.Ban(_c, "192.0.2.7")), FleetTestKeys.Now);

        Assert.Equal(FleetDrop.Own, verdict.Drop);
        Assert.Equal(0, _stats.Rejected);
    }

    [Theory]
    [InlineData("10.0.0.0/8", false)]
    [InlineData("192.0.2.0/23", false)]
    [InlineData("192.0.2.0/24", true)]
    [InlineData("2001:db8::/32", false)]
    [InlineData("2001:db8::/48", true)]
    public void Judge_WiderThanMaxPrefix_IsRefused(string target, bool applies)
    {
        var verdict = Policy().Judge(_a.Sign(FleetTestKeys.Ban(_a, target)), FleetTestKeys.Now);

        Assert.Equal(applies, verdict.Applies);
        Assert.Equal(applies ? null : FleetDrop.TooWide, verdict.Drop);
    }

    [Fact]
    public void Judge_JailNotAccepted_IsDropped()
    {
        var policy = Policy(new FleetPolicyOptions { Node = "c", Accept = new HashSet<string> { "nginx" } });

        Assert.Equal(FleetDrop.NotAccepted, policy.Judge(_a.Sign(FleetTestKeys.Ban(_a, "192.0.2.7", jail: "sshd")), FleetTestKeys.Now).Drop);
        Assert.True(policy.Judge(_a.Sign(FleetTestKeys.Ban(_a, "192.0.2.8", jail: "nginx")), FleetTestKeys.Now).Applies);
    }

    [Fact]
    public void Judge_OverTheRate_IsLimitedPerOriginAndRefills()
    {
        var policy = Policy(new FleetPolicyOptions { Node = "c", Rate = 1, Burst = 3 });

        var first = Enumerable.Range(1, 4).Select(i => policy.Judge(_a.Sign(FleetTestKeys.Ban(_a, $"192.0.2.{i}")), FleetTestKeys.Now).Drop).ToList();
        var otherOrigin = policy.Judge(_c.Sign(FleetTestKeys.Ban(_c, "192.0.2.9")), FleetTestKeys.Now);
        var later = policy.Judge(_a.Sign(FleetTestKeys.Ban(_a, "192.0.2.5")), FleetTestKeys.Now.AddSeconds(2));

        Assert.Equal([null, null, null, FleetDrop.RateLimited], first);
        Assert.Equal(FleetDrop.Own, otherOrigin.Drop);
        Assert.True(later.Applies);
    }

    [Fact]
    public void Judge_Unban_AppliesAsATombstone()
    {
        var verdict = Policy().Judge(_a.Sign(FleetTestKeys.Unban(_a, "192.0.2.7/32")), FleetTestKeys.Now);

        Assert.True(verdict.Applies);
        Assert.Equal(DecisionKind.Unban, verdict.Entry!.Decision.Kind);
    }
}
