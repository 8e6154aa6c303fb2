using Warden.Fail2Ban.Jails;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Jails;

/// <summary>The jail options issue 4 adds to the skeleton's reader, on small hand-written configurations.</summary>
public sealed class JailOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-jails");

    [Fact]
    public void Load_BanTimeIncrementOptions_BecomeTheJailsIncrement()
    {
        var jail = LoadOne("""
            bantime = 10m
            bantime.increment = true
            bantime.factor = 2.0 / 4
            bantime.formula = ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)
            bantime.maxtime = 1w
            bantime.rndtime = 5m
            bantime.overalljails = true
            """);

        var increment = jail.Policy.Increment!;
        Assert.Equal(0.5, increment.Factor);
        Assert.Equal(TimeSpan.FromDays(7), increment.MaxTime);
        Assert.Equal(TimeSpan.FromMinutes(5), increment.RandomTime);
        Assert.True(increment.OverallJails);
        Assert.Equal(600 * Math.Exp(1.5) / Math.Exp(0.5), increment.Formula!.Evaluate(600, 2, 0.5), 6);
    }

    [Fact]
    public void Load_Evidence_SetsTheLinesKeptPerBan()
    {
        Assert.Equal(0, LoadOne("evidence = 0").Policy.EvidenceLines);
        Assert.Equal(10, LoadOne("maxretry = 3").Policy.EvidenceLines);
    }

    [Fact]
    public void Load_NoIncrement_LeavesItOff()
    {
        Assert.Null(LoadOne("bantime.factor = 3").Policy.Increment);
    }

    [Fact]
    public void Load_Multipliers_AreRead()
    {
        var jail = LoadOne("bantime.increment = yes\nbantime.multipliers = 1 5 30 60");

        Assert.Equal([1, 5, 30, 60], jail.Policy.Increment!.Multipliers);
    }

    [Theory]
    [InlineData("bantime.formula = __import__('os').system('id')", "bantime.formula")]
    [InlineData("bantime.formula = ban.Time *", "bantime.formula")]
    [InlineData("bantime.multipliers = 1 two 4", "bantime.multipliers")]
    [InlineData("aggregate.ipv6 = 4", "aggregate.ipv6")]
    [InlineData("aggregate.count = 1", "aggregate.count")]
    [InlineData("usedns = maybe", "usedns must be yes, warn, no or raw, not 'maybe'")]
    [InlineData("protocol = icmp", "protocol must be tcp, udp, sctp, dccp or all, not 'icmp'")]
    [InlineData("findtime_window = tumbling", "findtime_window")]
    [InlineData("maxmatches = -1", "maxmatches")]
    [InlineData("ignoreip = 192.0.2.1 bad_name!", "ignoreip")]
    [InlineData("action = iptables[port=ssh", "action")]
    [InlineData("bantime = 999999999999", "longer than 100 years")]
    [InlineData("evidence = 5000", "evidence must be at most 1000")]
    [InlineData("evidence = -1", "evidence")]
    [InlineData("findtime = 99999999999999999999999", "longer than 100 years")]
    [InlineData("bantime = 1e400", "bantime")]
    [InlineData("bantime = 0", "bantime = 0 would ban for no time")]
    [InlineData("bantime.maxtime = 200y", "bantime.maxtime")]
    public void Load_BadOption_IsAnErrorNamingFileLineAndOption(string line, string option)
    {
        _dir.Write("jail.local", $"[sshd]\nenabled = true\nlogpath = /dev/null\nbantime.increment = true\naction =\n{line}\n");

        var result = JailConfigLoader.Load(_dir.Path);

        var error = Assert.Single(result.Errors);
        Assert.Empty(result.Jails);
        Assert.Equal(_dir.File("jail.local"), error.File);
        Assert.Equal(6, error.Line);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", Core.Jails.PortProtocol.Tcp)]
    [InlineData("protocol = udp", Core.Jails.PortProtocol.Udp)]
    [InlineData("protocol = SCTP", Core.Jails.PortProtocol.Sctp)]
    [InlineData("protocol = dccp", Core.Jails.PortProtocol.Dccp)]
    [InlineData("protocol = all", Core.Jails.PortProtocol.All)]
    public void Load_Protocol_IsReadOnceIntoThePolicy(string line, Core.Jails.PortProtocol expected)
    {
        Assert.Equal(expected, LoadOne(line).Policy.Protocol);
    }

    [Theory]
    [InlineData("", UseDns.Warn)]
    [InlineData("usedns = yes", UseDns.Yes)]
    [InlineData("usedns = Raw", UseDns.Raw)]
    public void Load_UseDns_IsTyped(string line, UseDns expected)
    {
        Assert.Equal(expected, LoadOne(line).UseDns);
    }

    [Fact]
    public void Load_FindTimeWindow_IsSlidingUnlessSetToFail2Ban()
    {
        Assert.Equal(Core.Detections.FindTimeWindow.Sliding, LoadOne(string.Empty).Policy.Window);
        Assert.Equal(Core.Detections.FindTimeWindow.Fail2Ban, LoadOne("findtime_window = Fail2Ban").Policy.Window);
        Assert.Equal(Core.Detections.FindTimeWindow.Sliding, LoadOne("findtime_window = sliding").Policy.Window);
    }

    [Fact]
    public void Load_AggregationOptions_DefaultToIPv6Slash64Only()
    {
        var defaults = LoadOne(string.Empty).Policy.Aggregation;
        var custom = LoadOne("aggregate.ipv6 = /56\naggregate.ipv4 = 24\naggregate.count = 5").Policy.Aggregation;
        var off = LoadOne("aggregate.ipv6 = off").Policy.Aggregation;

        Assert.Equal((64, (int?)null, 3), (defaults.IPv6Prefix, defaults.IPv4Prefix, defaults.Threshold));
        Assert.Equal((56, (int?)24, 5), (custom.IPv6Prefix, custom.IPv4Prefix, custom.Threshold));
        Assert.True(off.IsOff);
    }

    [Fact]
    public void Load_IgnoreIpWithHostNames_KeepsNetworksAndNamesApart()
    {
        var jail = LoadOne("ignoreip = 127.0.0.1/8 ::1, 192.0.2.0/255.255.255.0 Mail.Example.org\n    localhost");

        Assert.Equal(["127.0.0.0/8", "::1/128", "192.0.2.0/24"], jail.Policy.Ignore.Networks.Select(n => n.ToString()));
        Assert.Equal(["mail.example.org", "localhost"], jail.Policy.IgnoreHosts);
    }

    [Fact]
    public void Load_IgnoreSelfFalse_WarnsThatItHasNoEffect()
    {
        _dir.Write("jail.local", "[sshd]\nenabled = true\nlogpath = /dev/null\nignoreself = false\naction =\n");

        var result = JailConfigLoader.Load(_dir.Path);

        Assert.Single(result.Jails);
        Assert.Contains(result.Warnings, w => w.Message.Contains("ignoreself", StringComparison.Ordinal) && w.Line == 4);
    }

    [Fact]
    public void Load_IgnoreCommandUseDnsMaxMatches_AreKept()
    {
        var jail = LoadOne("ignorecommand = /usr/local/bin/is-friend <ip>\nusedns = no\nmaxmatches = 2");

        Assert.Equal("/usr/local/bin/is-friend <ip>", jail.IgnoreCommand);
        Assert.Equal(UseDns.No, jail.UseDns);
        Assert.Equal(2, jail.Policy.MaxMatches);
    }

    [Fact]
    public void Load_KnownReference_ReadsTheValueBeforeTheOverride()
    {
        _dir.Write("jail.conf", "[DEFAULT]\nport = 0:65535\n[sshd]\nport = ssh\nlogpath = /dev/null\naction =\n");
        _dir.Write("jail.local", "[sshd]\nenabled = true\nport = %(known/port)s,2222\n");

        var jail = Assert.Single(JailConfigLoader.Load(_dir.Path).Jails);

        Assert.Equal([new Core.Jails.PortRange(22, 22), new Core.Jails.PortRange(2222, 2222)], jail.Policy.Ports);
    }

    [Fact]
    public void Load_LogPathGlobsAndSeveralFiles_AreAllKept()
    {
        _dir.Write("logs/a-error.log", string.Empty);
        _dir.Write("logs/b-error.log", string.Empty);
        _dir.Write("jail.local", $"[sshd]\nenabled = true\naction =\nlogpath = {_dir.File("logs")}/*-error.log\n          {_dir.File("other.log")} tail\n");

        var jail = Assert.Single(JailConfigLoader.Load(_dir.Path).Jails);

        Assert.Equal([$"{_dir.File("logs")}/*-error.log", _dir.File("other.log")], jail.LogPaths);
        Assert.Empty(jail.HeadPaths);
    }

    [Fact]
    public void Load_LogPathHead_MarksThatPathOnly()
    {
        _dir.Write("jail.local", "[sshd]\nenabled = true\naction =\nlogpath = /dev/null head\n          /var/log/not-there.log tail\n");

        var jail = Assert.Single(JailConfigLoader.Load(_dir.Path).Jails);

        Assert.Equal(["/dev/null", "/var/log/not-there.log"], jail.LogPaths);
        Assert.Equal(["/dev/null"], jail.HeadPaths);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_OverflowingValueInOneJail_TheOtherJailsLoad()
    {
        _dir.Write("jail.local", "[sshd]\nenabled = true\nlogpath = /dev/null\naction =\nbantime = 999999999999\n[other]\nenabled = true\nfilter = sshd\nlogpath = /dev/null\naction =\n");

        var result = JailConfigLoader.Load(_dir.Path);

        Assert.Equal("other", Assert.Single(result.Jails).Name);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.Contains("[sshd]", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TenMegabyteBadValue_IsQuotedShort()
    {
        _dir.Write("jail.local", $"[sshd]\nenabled = true\nlogpath = /dev/null\naction =\nbantime = {new string('x', 10_000_000)}\n");

        var error = Assert.Single(JailConfigLoader.Load(_dir.Path).Errors);

        Assert.True(error.Message.Length < 300, error.Message[..Math.Min(300, error.Message.Length)]);
    }

    private JailDefinition LoadOne(string options)
    {
        _dir.Write("jail.local", $"[sshd]\nenabled = true\nlogpath = /dev/null\naction =\n{options}\n");
        var result = JailConfigLoader.Load(_dir.Path);
        Assert.Empty(result.Errors.Select(e => e.ToString()));
        return Assert.Single(result.Jails);
    }
}
