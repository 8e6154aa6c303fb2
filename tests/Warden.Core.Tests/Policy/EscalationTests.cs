using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Tests.Policy;

public sealed class EscalationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Base = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 20)]
    [InlineData(2, 40)]
    [InlineData(3, 80)]
    [InlineData(25, 10 * 1048576)]
    public void BanTime_DefaultFormula_DoublesPerEarlierBanUpToTwentyDoublings(int prior, double minutes)
    {
        var time = Escalation.BanTime(Base, prior, new BanTimeIncrement(), () => 0);

        Assert.Equal(TimeSpan.FromMinutes(minutes), time);
    }

    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 300)]
    [InlineData(7, 14400)]
    [InlineData(30, 14400)]
    public void BanTime_Multipliers_UseLastOneBeyondTheList(int prior, double minutes)
    {
        var settings = new BanTimeIncrement { Multipliers = [1, 5, 30, 60, 300, 720, 1440] };

        Assert.Equal(TimeSpan.FromMinutes(minutes), Escalation.BanTime(Base, prior, settings, () => 0));
    }

    [Fact]
    public void BanTime_MaxTimeAndRndTime_CapThenAddRandom()
    {
        var settings = new BanTimeIncrement { MaxTime = TimeSpan.FromHours(1), RandomTime = TimeSpan.FromMinutes(10) };

        var time = Escalation.BanTime(Base, 5, settings, () => 0.5);

        Assert.Equal(TimeSpan.FromMinutes(65), time);
    }

    [Fact]
    public void BanTime_FirstBanOrPermanent_IsUnchanged()
    {
        var settings = new BanTimeIncrement { RandomTime = TimeSpan.FromMinutes(10) };

        Assert.Equal(Base, Escalation.BanTime(Base, 0, settings, () => 0.9));
        Assert.Null(Escalation.BanTime(null, 4, settings, () => 0.9));
    }

    [Fact]
    public void BanTime_FormulaBelowBase_NeverShortensTheBan()
    {
        var settings = new BanTimeIncrement { Formula = new Halving() };

        Assert.Equal(Base, Escalation.BanTime(Base, 3, settings, () => 0));
    }

    [Fact]
    public void PriorBans_ChainBrokenByAQuietDay_CountsOnlyTheRecentChain()
    {
        var settings = new BanTimeIncrement();
        var history = new[]
        {
            Past("sshd", Now - TimeSpan.FromHours(2), TimeSpan.FromHours(1)),
            Past("sshd", Now - TimeSpan.FromHours(20), TimeSpan.FromHours(1)),
            // Ended more than a day before the next one started: fail2ban had purged it.
            Past("sshd", Now - TimeSpan.FromDays(5), TimeSpan.FromHours(1)),
        };

        Assert.Equal(2, Escalation.PriorBans(history, "sshd", Now, settings));
    }

    [Fact]
    public void PriorBans_OverallJails_CountsOtherJailsToo()
    {
        var history = new[]
        {
            Past("sshd", Now - TimeSpan.FromHours(2), TimeSpan.FromHours(1)),
            Past("nginx", Now - TimeSpan.FromHours(3), TimeSpan.FromHours(1)),
        };

        Assert.Equal(1, Escalation.PriorBans(history, "sshd", Now, new BanTimeIncrement()));
        Assert.Equal(2, Escalation.PriorBans(history, "sshd", Now, new BanTimeIncrement { OverallJails = true }));
    }

    [Fact]
    public void PriorBans_LastBanLongOver_CountsNothing()
    {
        var history = new[] { Past("sshd", Now - TimeSpan.FromDays(3), TimeSpan.FromHours(1)) };

        Assert.Equal(0, Escalation.PriorBans(history, "sshd", Now, new BanTimeIncrement()));
    }

    private static PastBan Past(string jail, DateTimeOffset start, TimeSpan length) =>
        new(new Ban(jail, AddressParsing.HostNetwork(IPAddress.Parse("192.0.2.7")), start, start + length, BanOrigin.Jail, 5), start + length);

    private sealed class Halving : IBanTimeFormula
    {
        public double Evaluate(double banTimeSeconds, int banCount, double banFactor) => banTimeSeconds / 2;
    }
}
