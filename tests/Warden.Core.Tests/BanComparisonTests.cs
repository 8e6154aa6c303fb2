using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Detections;
using Warden.Core.Jails;
using Warden.Core.Migration;
using Warden.Core.Ports;

namespace Warden.Core.Tests;

/// <summary>
/// <see cref="BanComparison"/>: which addresses both sides banned, which only one did, and the
/// reason given for each difference, from what the other side knew.
/// </summary>
public sealed class BanComparisonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, bool> Fail2BanJails = new(StringComparer.Ordinal) { ["sshd"] = true, ["nginx"] = false };

    [Fact]
    public void Compare_SameAddresses_AllBoth()
    {
        var result = Assert.Single(Compare(
            [F2b("sshd", "192.0.2.1", 10), F2b("sshd", "192.0.2.2", 20)],
            [Own("sshd", "192.0.2.2/32", 21), Own("sshd", "192.0.2.1/32", 11)]));

        Assert.True(result.Same);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], result.Both.Select(b => b.Address.ToString()));
        Assert.Equal(T0.AddSeconds(11), result.Both[0].WardenStart);
        Assert.Equal(T0.AddSeconds(10), result.Both[0].Fail2BanStart);
    }

    [Fact]
    public void Compare_OnlyFail2Ban_ReasonFromWardensFailureCount()
    {
        var result = Assert.Single(Compare(
            [F2b("sshd", "192.0.2.1", 10)],
            [],
            failures: [new StoredFailure("sshd", "192.0.2.1", IPAddress.Parse("192.0.2.1"), T0, 2)]));

        var only = Assert.Single(result.OnlyFail2Ban);
        Assert.Equal("192.0.2.1", only.Address.ToString());
        Assert.Equal("Warden counted 2 failure(s) of it in 'sshd', fewer than its maxretry 5 within findtime 10m", only.Reason);
        Assert.Equal("fail2ban line", Assert.Single(only.Evidence).Line);
        Assert.Empty(result.OnlyWarden);
    }

    [Fact]
    public void Compare_OnlyFail2Ban_NoJailOrAllowlistedOrUnseen()
    {
        var result = Compare(
            [F2b("postfix", "192.0.2.1", 10), F2b("sshd", "198.51.100.7", 11), F2b("sshd", "192.0.2.3", 12)],
            []);

        Assert.Equal("Warden runs no jail 'postfix'", Assert.Single(result.Single(j => j.Jail == "postfix").OnlyFail2Ban).Reason);
        var sshd = result.Single(j => j.Jail == "sshd").OnlyFail2Ban;
        Assert.Equal("Warden's ignoreip of jail 'sshd' holds 198.51.100.7: it never bans it", sshd.Single(d => d.Address.ToString() == "198.51.100.7").Reason);
        Assert.StartsWith("Warden counted no failure of it in 'sshd'", sshd.Single(d => d.Address.ToString() == "192.0.2.3").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_OnlyWarden_ReasonNamesTheWindowAndFail2BansJails()
    {
        var result = Compare(
            [],
            [Own("sshd", "192.0.2.9/32", 5, observed: true), Own("nginx", "192.0.2.8/32", 6), Own("dovecot", "192.0.2.7/32", 7)]);

        var sshd = Assert.Single(result.Single(j => j.Jail == "sshd").OnlyWarden);
        Assert.True(sshd.WouldBan);
        Assert.StartsWith("fail2ban did not ban it; Warden did after 5 failure(s) (findtime 10m, a sliding window", sshd.Reason, StringComparison.Ordinal);
        Assert.Equal("fail2ban's jail 'nginx' is disabled", Assert.Single(result.Single(j => j.Jail == "nginx").OnlyWarden).Reason);
        Assert.Equal("fail2ban's database knows no jail 'dovecot'", Assert.Single(result.Single(j => j.Jail == "dovecot").OnlyWarden).Reason);
    }

    [Fact]
    public void Compare_WardenPrefixBan_CoversFail2BansAddressesAndAloneIsADifference()
    {
        var result = Assert.Single(Compare(
            [F2b("sshd", "2001:db8:0:1::5", 10)],
            [Own("sshd", "2001:db8:0:1::/64", 12), Own("sshd", "2001:db8:0:2::/64", 13)]));

        var both = Assert.Single(result.Both);
        Assert.Equal("2001:db8:0:1::/64", both.WardenTarget.ToString());
        var only = Assert.Single(result.OnlyWarden);
        Assert.Equal("2001:db8:0:2::/64", only.Target.ToString());
        Assert.StartsWith("Warden banned the network 2001:db8:0:2::/64 (prefix aggregation)", only.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_BeforeSinceManualAndImported_LeftOut()
    {
        var result = Compare(
            [F2b("sshd", "192.0.2.1", -60)],
            [
                Own("sshd", "192.0.2.2/32", -30),
                new PastBan(new Ban("sshd", IPNetwork.Parse("192.0.2.3/32"), T0.AddSeconds(5), null, BanOrigin.Manual, 0) { By = "root" }, null),
                new PastBan(new Ban("sshd", IPNetwork.Parse("192.0.2.4/32"), T0.AddSeconds(5), null, BanOrigin.Jail, 3) { By = "fail2ban (imported)" }, null),
            ]);

        Assert.Empty(result);
    }

    [Fact]
    public void Compare_Fail2BansWholeSeconds_CountFromTheSecondOfSince()
    {
        var ban = F2b("sshd", "192.0.2.1", 0);
        var result = Assert.Single(BanComparison.Compare([ban], Fail2BanJails, [Own("sshd", "192.0.2.1/32", 1)], [Policy("sshd")], [], T0.AddMilliseconds(600)));

        Assert.True(result.Same);
        Assert.Empty(BanComparison.Compare([ban], Fail2BanJails, [], [Policy("sshd")], [], T0.AddSeconds(1)));
    }

    [Fact]
    public void Compare_Fail2BanWindow_SaysCountedAsFail2BanDoes()
    {
        var policy = Policy("sshd") with { Window = FindTimeWindow.Fail2Ban };
        var result = Assert.Single(BanComparison.Compare([], Fail2BanJails, [Own("sshd", "192.0.2.9/32", 5)], [policy], [], T0));

        Assert.Contains("counted as fail2ban does: compare the jails' maxretry and findtime", Assert.Single(result.OnlyWarden).Reason, StringComparison.Ordinal);
    }

    private static IReadOnlyList<JailComparison> Compare(IReadOnlyList<Ban> fail2ban, IReadOnlyList<PastBan> warden, IReadOnlyList<StoredFailure>? failures = null) =>
        BanComparison.Compare(fail2ban, Fail2BanJails, warden, [Policy("sshd"), Policy("nginx"), Policy("dovecot")], failures ?? [], T0);

    private static JailPolicy Policy(string name) =>
        new(name, 5, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), new AddressSet([IPNetwork.Parse("198.51.100.0/24")]));

    private static Ban F2b(string jail, string address, int seconds) =>
        new(jail, AddressParsing.ToNetwork(IPAddress.Parse(address), IPAddress.Parse(address).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128), T0.AddSeconds(seconds), T0.AddSeconds(seconds + 600), BanOrigin.Jail, 5)
        {
            By = "fail2ban (imported)",
            Evidence = [new EvidenceLine(T0.AddSeconds(seconds), "fail2ban:" + jail, "fail2ban line")],
        };

    private static PastBan Own(string jail, string target, int seconds, bool observed = false) =>
        new(new Ban(jail, IPNetwork.Parse(target), T0.AddSeconds(seconds), T0.AddSeconds(seconds + 600), BanOrigin.Jail, 5) { Observed = observed }, null);
}
