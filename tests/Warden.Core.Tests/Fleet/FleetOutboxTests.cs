using System.Net;
using Warden.Core.Bans;
using Warden.Core.Fleet;

namespace Warden.Core.Tests.Fleet;

public sealed class FleetOutboxTests
{
    private static readonly DateTimeOffset Now = FleetTestKeys.Now;

    private static Ban Ban(string target, BanOrigin origin = BanOrigin.Jail, string jail = "sshd") =>
        new(jail, IPNetwork.Parse(target), Now, Now.AddHours(1), origin, 3);

    [Fact]
    public void Imposed_OwnBan_QueuesBanWithAbsoluteExpiry()
    {
        var outbox = new FleetOutbox("a", null, 10);

        outbox.Imposed(Ban("192.0.2.7/32"));

        var decision = Assert.Single(outbox.Take(10));
        Assert.Equal(("a", DecisionKind.Ban, "sshd", Now.AddHours(1)), (decision.Origin, decision.Kind, decision.Jail, decision.Expires));
        Assert.Equal(IPNetwork.Parse("192.0.2.7/32"), decision.Target);
    }

    [Fact]
    public void Imposed_FleetObservedOrUnsharedBan_IsNotQueued()
    {
        var outbox = new FleetOutbox("a", new HashSet<string> { "sshd" }, 10);

        outbox.Imposed(Ban("192.0.2.7/32", BanOrigin.Fleet));
        outbox.Imposed(Ban("192.0.2.8/32") with { Observed = true });
        outbox.Imposed(Ban("192.0.2.9/32", jail: "nginx"));
        outbox.Lifted(Ban("192.0.2.7/32", BanOrigin.Fleet), Now);

        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void Lifted_OwnBan_QueuesTombstoneReplacingTheWaitingBan()
    {
        var outbox = new FleetOutbox("a", null, 10);
        outbox.Imposed(Ban("192.0.2.7/32"));
        outbox.Imposed(Ban("192.0.2.8/32"));

        outbox.Lifted(Ban("192.0.2.7/32"), Now.AddMinutes(1));

        var taken = outbox.Take(10);
        Assert.Equal(["192.0.2.8/32 Ban", "192.0.2.7/32 Unban"], taken.Select(d => $"{d.Target} {d.Kind}"));
    }

    [Fact]
    public void Imposed_BeyondCapacity_DropsTheOldestAndCountsThem()
    {
        var outbox = new FleetOutbox("a", null, 2);

        outbox.Imposed(Ban("192.0.2.1/32"));
        outbox.Imposed(Ban("192.0.2.2/32"));
        outbox.Imposed(Ban("192.0.2.3/32"));

        Assert.Equal(["192.0.2.2/32", "192.0.2.3/32"], outbox.Take(10).Select(d => d.Target.ToString()));
        Assert.Equal(1, outbox.Overflowed);
    }

    [Fact]
    public void Lifted_BeyondCapacity_TombstonesOutlastWaitingBans()
    {
        // A dropped ban comes back with the next republish; a dropped tombstone never would.
        var outbox = new FleetOutbox("a", null, 3);
        outbox.Lifted(Ban("192.0.2.1/32"), Now);
        outbox.Imposed(Ban("192.0.2.2/32"));
        outbox.Imposed(Ban("192.0.2.3/32"));

        outbox.Imposed(Ban("192.0.2.4/32"));
        outbox.Lifted(Ban("192.0.2.5/32"), Now);

        Assert.Equal(["192.0.2.1/32 Unban", "192.0.2.4/32 Ban", "192.0.2.5/32 Unban"], outbox.Take(10).Select(d => $"{d.Target} {d.Kind}"));
        Assert.Equal(2, outbox.Overflowed);
    }

    [Fact]
    public void Imposed_FullOfTombstones_DropsTheNewBanAndANewTombstoneTheOldest()
    {
        var outbox = new FleetOutbox("a", null, 2);
        outbox.Lifted(Ban("192.0.2.1/32"), Now);
        outbox.Lifted(Ban("192.0.2.2/32"), Now);

        outbox.Imposed(Ban("192.0.2.3/32"));
        outbox.Lifted(Ban("192.0.2.4/32"), Now);

        Assert.Equal(["192.0.2.2/32 Unban", "192.0.2.4/32 Unban"], outbox.Take(10).Select(d => $"{d.Target} {d.Kind}"));
        Assert.Equal(2, outbox.Overflowed);
    }

    [Fact]
    public void Return_IntoAFullOutbox_KeepsTombstonesDropsBans()
    {
        var outbox = new FleetOutbox("a", null, 2);
        outbox.Imposed(Ban("192.0.2.1/32"));
        outbox.Lifted(Ban("192.0.2.2/32"), Now);
        var taken = outbox.Take(10);
        outbox.Imposed(Ban("192.0.2.3/32"));
        outbox.Imposed(Ban("192.0.2.4/32"));

        outbox.Return(taken);

        Assert.Equal(["192.0.2.2/32 Unban", "192.0.2.4/32 Ban"], outbox.Take(10).Select(d => $"{d.Target} {d.Kind}"));
        Assert.Equal(2, outbox.Overflowed);
    }

    [Fact]
    public void Return_UnsentDecisions_GoBackInFrontUnlessNewerWait()
    {
        var outbox = new FleetOutbox("a", null, 10);
        outbox.Imposed(Ban("192.0.2.1/32"));
        outbox.Imposed(Ban("192.0.2.2/32"));
        var taken = outbox.Take(10);
        outbox.Lifted(Ban("192.0.2.2/32"), Now);

        outbox.Return(taken);

        Assert.Equal(["192.0.2.1/32 Ban", "192.0.2.2/32 Unban"], outbox.Take(10).Select(d => $"{d.Target} {d.Kind}"));
    }

    [Fact]
    public void Republish_ActiveOwnBans_QueuesThemIssuedNow()
    {
        var outbox = new FleetOutbox("a", null, 10);
        var expired = new Ban("sshd", IPNetwork.Parse("192.0.2.9/32"), Now.AddHours(-2), Now.AddHours(-1), BanOrigin.Jail, 3);

        var queued = outbox.Republish([Ban("192.0.2.7/32"), Ban("192.0.2.8/32", BanOrigin.Fleet), expired], Now.AddMinutes(5));

        Assert.Equal(1, queued);
        Assert.Equal(Now.AddMinutes(5), Assert.Single(outbox.Take(10)).Issued);
    }

    [Fact]
    public void Republish_BanBeingPublished_IsNotQueuedTwice()
    {
        // CI once saw 2 queued for 1 ban: the anti-entropy tick queued the ban again while the
        // publish loop held its first copy, failing against a bus that was down.
        var outbox = new FleetOutbox("a", null, 10);
        var ban = Ban("192.0.2.7/32");
        outbox.Imposed(ban);
        var taken = outbox.Take(10);

        Assert.Equal(0, outbox.Republish([ban], Now.AddMinutes(5)));
        Assert.Equal(1, outbox.Count);

        outbox.Return(taken);
        Assert.Equal(1, outbox.Count);
        Assert.Single(outbox.Take(10));
        outbox.Sent(1);
        Assert.Equal(1, outbox.Republish([ban], Now.AddMinutes(5)));
    }
}
