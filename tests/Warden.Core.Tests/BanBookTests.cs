using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;

namespace Warden.Core.Tests;

public sealed class BanBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string?, string> EveryKind => new()
    {
        { "192.0.2.7", "01:00:00", "Jail" },
        { "2001:db8::7", "01:00:00", "Jail" },
        { "198.51.100.0/24", "7.00:00:00", "Prefix" },
        { "2001:db8:1::/48", "00:00:00.0010000", "Fleet" },
        { "0.0.0.0/1", null, "Manual" },
        { "::ffff:192.0.2.0/120", "00:10:00", "Manual" },
        { "10.255.255.255", null, "Jail" },
        { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3650.00:00:00", "Jail" },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Find_AfterPut_ReturnsAnEqualBan(string target, string? duration, string origin)
    {
        var book = new BanBook();
        var ban = Make("sshd", target, duration, Enum.Parse<BanOrigin>(origin)) with { PriorBans = 3 };

        book.Put(ban);

        var found = book.Find("sshd", ban.Target);
        Assert.Equal(ban, found);
        Assert.Equal(ban.Target.BaseAddress.AddressFamily, found!.Target.BaseAddress.AddressFamily);
        Assert.Equal(ban.Expires?.UtcTicks, found.Expires?.UtcTicks);
        Assert.Equal(ban.Start.UtcTicks, found.Start.UtcTicks);
        Assert.Equal(5, found.Failures);
        Assert.Equal(3, found.PriorBans);
    }

    [Fact]
    public void All_ManyBansOfSeveralJails_ReturnsEachOnceAndEqual()
    {
        var book = new BanBook();
        var bans = EveryKind.Select(row => Make("sshd", (string)row[0], (string?)row[1], Enum.Parse<BanOrigin>((string)row[2])))
            .Concat(EveryKind.Select(row => Make("nginx", (string)row[0], null, BanOrigin.Manual)))
            .ToList();

        foreach (var ban in bans)
        {
            book.Put(ban);
        }

        Assert.Equal(bans.Count, book.Count);
        Assert.Equal(bans.OrderBy(b => b.ToString()), book.All.OrderBy(b => b.ToString()));
        Assert.All(bans, b => Assert.Contains(b, book.All));
    }

    [Fact]
    public void TakeExpired_ThousandsOfV4AndV6Bans_KeepsEveryActiveOneFindable()
    {
        var book = new BanBook();
        book.EnsureCapacity(1000, 10);
        var bans = new List<Ban>();
        for (var i = 0; i < 3000; i++)
        {
            var target = i % 3 == 0 ? $"2001:db8::{i:x}" : $"10.0.{i / 256}.{i % 256}";
            bans.Add(Make(i % 2 == 0 ? "sshd" : "nginx", target, i % 5 == 0 ? "00:01:00" : null, BanOrigin.Jail));
        }

        bans.ForEach(book.Put);
        var expired = book.TakeExpired(Now.AddHours(1));

        Assert.Equal(600, expired.Count);
        Assert.Equal(2400, book.Count);
        Assert.All(bans, b => Assert.Equal(b.Expires is null ? b : null, book.Find(b.Jail, b.Target)));
    }

    [Fact]
    public void Put_StartWithAnOffset_ComesBackAsTheSameInstantInUtc()
    {
        var book = new BanBook();
        var start = new DateTimeOffset(2026, 11, 1, 14, 0, 0, TimeSpan.FromHours(2));
        var ban = new Ban("sshd", Network("192.0.2.7"), start, start.AddHours(1), BanOrigin.Jail, 1);

        book.Put(ban);

        var found = book.Find("sshd", ban.Target)!;
        Assert.Equal(ban, found);
        Assert.Equal(TimeSpan.Zero, found.Start.Offset);
    }

    [Fact]
    public void Find_FleetBan_KeepsItsOriginNode_OtherBansNoBy()
    {
        // Only the origin's tombstone lifts a fleet ban, so the book keeps who that is, in the slot's padding.
        var book = new BanBook();
        var fleet = Make("sshd", "192.0.2.7", "01:00:00", BanOrigin.Fleet) with { By = "node-a" };
        var other = Make("sshd", "192.0.2.8", "01:00:00", BanOrigin.Fleet) with { By = "node-c" };
        var manual = Make("sshd", "192.0.2.9", "01:00:00", BanOrigin.Manual) with { By = "uid 0" };

        book.Put(fleet);
        book.Put(other);
        book.Put(manual);

        Assert.Equal("node-a", book.Find("sshd", fleet.Target)!.By);
        Assert.Equal("node-c", book.Find("sshd", other.Target)!.By);
        Assert.Null(book.Find("sshd", manual.Target)!.By);
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<BanSlot>());
    }

    [Fact]
    public void Put_SameJailAndTarget_ReplacesTheBan()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "192.0.2.7", "01:00:00", BanOrigin.Jail));
        var longer = Make("sshd", "192.0.2.7", "1.00:00:00", BanOrigin.Manual);

        book.Put(longer);

        Assert.Equal(1, book.Count);
        Assert.Equal(longer, book.Find("sshd", longer.Target));
    }

    [Fact]
    public void IsBanned_AddressInsideAPrefixBan_TrueOnlyInThatJailAndWhileActive()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "198.51.100.0/24", "01:00:00", BanOrigin.Prefix));
        book.Put(Make("sshd", "2001:db8::/32", "01:00:00", BanOrigin.Prefix));

        Assert.True(book.IsBanned("sshd", IPAddress.Parse("198.51.100.77"), Now));
        Assert.True(book.IsBanned("sshd", IPAddress.Parse("::ffff:198.51.100.77"), Now));
        Assert.True(book.IsBanned("sshd", IPAddress.Parse("2001:db8:ffff::1"), Now));
        Assert.False(book.IsBanned("sshd", IPAddress.Parse("198.51.101.1"), Now));
        Assert.False(book.IsBanned("sshd", IPAddress.Parse("2001:db9::1"), Now));
        Assert.False(book.IsBanned("nginx", IPAddress.Parse("198.51.100.77"), Now));
        Assert.False(book.IsBanned("sshd", IPAddress.Parse("198.51.100.77"), Now.AddHours(1)));
    }

    [Fact]
    public void IsBanned_V6NetworkOfTheSamePrefixLengthAsAV4Host_DoesNotMatchV4Addresses()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "::/32", null, BanOrigin.Manual));

        Assert.False(book.IsBanned("sshd", IPAddress.Parse("0.0.0.1"), Now));
        Assert.True(book.IsBanned("sshd", IPAddress.Parse("::1"), Now));
    }

    [Fact]
    public void Covered_PrefixNetwork_ReturnsTheJailsBansStrictlyInside()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "198.51.100.7", "01:00:00", BanOrigin.Jail));
        book.Put(Make("sshd", "198.51.100.8", "01:00:00", BanOrigin.Jail));
        book.Put(Make("sshd", "198.51.100.0/24", "01:00:00", BanOrigin.Prefix));
        book.Put(Make("sshd", "198.51.101.8", "01:00:00", BanOrigin.Jail));
        book.Put(Make("nginx", "198.51.100.9", "01:00:00", BanOrigin.Jail));

        var covered = book.Covered("sshd", Network("198.51.100.0/24"));

        Assert.Equal(["198.51.100.7", "198.51.100.8"], covered.Select(b => AddressParsing.Format(b.Target)).Order());
    }

    [Fact]
    public void Overlapping_Address_ReturnsBansOfEveryJailThatContainIt()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "198.51.100.0/24", "01:00:00", BanOrigin.Prefix));
        book.Put(Make("nginx", "198.51.100.9", "01:00:00", BanOrigin.Jail));
        book.Put(Make("nginx", "198.51.100.10", "01:00:00", BanOrigin.Jail));
        book.Put(Make("nginx", "2001:db8::9", "01:00:00", BanOrigin.Jail));

        var overlapping = book.Overlapping(Network("198.51.100.9"));

        Assert.Equal(["nginx 198.51.100.9", "sshd 198.51.100.0/24"], overlapping.Select(b => $"{b.Jail} {AddressParsing.Format(b.Target)}").Order());
    }

    [Fact]
    public void TakeExpired_MixedBans_RemovesAndReturnsOnlyTheExpiredOnes()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "192.0.2.1", "00:01:00", BanOrigin.Jail));
        book.Put(Make("sshd", "192.0.2.2", "01:00:00", BanOrigin.Jail));
        book.Put(Make("sshd", "192.0.2.3", null, BanOrigin.Manual));

        var expired = book.TakeExpired(Now.AddMinutes(30));

        Assert.Equal("192.0.2.1", AddressParsing.Format(Assert.Single(expired).Target));
        Assert.Equal(2, book.Count);
        Assert.Null(book.Find("sshd", Network("192.0.2.1")));
    }

    [Fact]
    public void TakeExpired_BansPutBetweenTakes_EachExpiresAtItsTime()
    {
        // TakeExpired returns at once before the earliest expiry: a ban put later with an earlier
        // expiry, or after a take, must still be found when its time comes.
        var book = new BanBook();
        book.Put(Make("sshd", "192.0.2.1", "01:00:00", BanOrigin.Jail));
        Assert.Empty(book.TakeExpired(Now.AddMinutes(1)));
        book.Put(Make("sshd", "192.0.2.2", "00:10:00", BanOrigin.Jail));
        Assert.Empty(book.TakeExpired(Now.AddMinutes(9)));
        Assert.Equal("192.0.2.2", AddressParsing.Format(Assert.Single(book.TakeExpired(Now.AddMinutes(11))).Target));
        book.Put(Make("sshd", "192.0.2.3", "00:20:00", BanOrigin.Jail));
        Assert.Equal("192.0.2.3", AddressParsing.Format(Assert.Single(book.TakeExpired(Now.AddMinutes(21))).Target));
        Assert.Empty(book.TakeExpired(Now.AddMinutes(59)));
        Assert.Equal("192.0.2.1", AddressParsing.Format(Assert.Single(book.TakeExpired(Now.AddMinutes(61))).Target));
        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void Remove_HeldBan_ReturnsItAndForgetsIt()
    {
        var book = new BanBook();
        var ban = Make("sshd", "2001:db8::7", "01:00:00", BanOrigin.Jail);
        book.Put(ban);

        Assert.Equal(ban, book.Remove("sshd", ban.Target));
        Assert.Null(book.Remove("sshd", ban.Target));
        Assert.Null(book.Remove("nginx", ban.Target));
        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void Put_KeepDetails_KeepsMatchesAndFieldsOtherwiseDropsThem()
    {
        var book = new BanBook();
        var fields = new Dictionary<string, string> { ["user"] = "root" };
        var kept = Make("sshd", "192.0.2.1", "01:00:00", BanOrigin.Jail) with { Matches = ["line 1", "line 2"], Fields = fields };
        var dropped = Make("sshd", "192.0.2.2", "01:00:00", BanOrigin.Jail) with { Matches = ["line 3"], Fields = fields };

        book.Put(kept, keepDetails: true);
        book.Put(dropped);

        Assert.Equal(kept, book.Find("sshd", kept.Target));
        Assert.Equal(["line 1", "line 2"], book.Find("sshd", kept.Target)!.Matches);
        Assert.Empty(book.Find("sshd", dropped.Target)!.Matches);
        Assert.Empty(book.Find("sshd", dropped.Target)!.Fields);
    }

    [Fact]
    public void CountActive_BansOfTwoJails_CountsOnlyThoseInForce()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "192.0.2.1", "00:01:00", BanOrigin.Jail));
        book.Put(Make("sshd", "192.0.2.2", "01:00:00", BanOrigin.Jail));
        book.Put(Make("nginx", "192.0.2.2", null, BanOrigin.Jail));
        book.Put(Make("recidive", "192.0.2.3", "00:01:00", BanOrigin.Jail));

        var counts = book.CountActive(Now.AddMinutes(30));

        Assert.Equal(new Dictionary<string, int> { ["sshd"] = 1, ["nginx"] = 1 }, counts);
    }

    [Fact]
    public void CountOf_PutReplaceRemoveAndExpire_FollowsTheBansOfEachJail()
    {
        var book = new BanBook();
        book.Put(Make("sshd", "192.0.2.1", "00:01:00", BanOrigin.Jail));
        book.Put(Make("sshd", "192.0.2.2", "01:00:00", BanOrigin.Jail));
        book.Put(Make("sshd", "192.0.2.2", "02:00:00", BanOrigin.Manual));
        book.Put(Make("nginx", "192.0.2.1", null, BanOrigin.Jail));

        Assert.Equal((2, 1, 0), (book.CountOf("sshd"), book.CountOf("nginx"), book.CountOf("none")));
        book.Remove("sshd", Network("192.0.2.2"));
        Assert.Equal(1, book.CountOf("sshd"));
        book.TakeExpired(Now + TimeSpan.FromMinutes(5));
        Assert.Equal((0, 1), (book.CountOf("sshd"), book.CountOf("nginx")));
    }

    private static Ban Make(string jail, string target, string? duration, BanOrigin origin) =>
        new(jail, Network(target), Now, duration is null ? null : Now + TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture), origin, 5);

    private static IPNetwork Network(string text)
    {
        // Not AddressParsing: it would turn the IPv4-mapped network into IPv4, and the round trip
        // must keep whatever family it was given.
        var network = IPNetwork.Parse(text.Contains('/') ? text : text + (text.Contains(':') ? "/128" : "/32"));
        return network;
    }
}
