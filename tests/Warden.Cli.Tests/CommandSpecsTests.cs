using Warden.Cli.Hosting;
using static Warden.Cli.Tests.WiredJails;

namespace Warden.Cli.Tests;

/// <summary>An action.d action turned into the command action's spec (<see cref="CommandSpecs"/>).</summary>
public sealed class CommandSpecsTests
{
    [Fact]
    public void From_PerFamilyValues_EachFamilyGetsItsOwnCommands()
    {
        var action = Action(
            "iptables-multiport",
            ("actionstart", "iptables -N f2b-<name>"),
            ("actionban", "<iptables> -I f2b-<name> 1 -s <ip> -j <blocktype>"),
            ("actionunban", "<iptables> -D f2b-<name> -s <ip> -j <blocktype>"),
            ("iptables", "iptables"),
            ("iptables?family=inet6", "ip6tables"),
            ("blocktype", "REJECT"),
            ("name", "sshd"));

        var spec = CommandSpecs.From(action, "sshd");

        Assert.Equal(("iptables-multiport", "sshd"), (spec.Name, spec.Jail));
        Assert.Equal("iptables -I f2b-sshd 1 -s <ip> -j REJECT", spec.IPv4.Ban);
        Assert.Equal("ip6tables -I f2b-sshd 1 -s <ip> -j REJECT", spec.IPv6.Ban);
        Assert.Equal("iptables -N f2b-sshd", spec.IPv4.Start);
        Assert.Null(spec.IPv4.Check);
        Assert.False(spec.SameForBothFamilies);
        // A per-family value means fail2ban starts the action per family, on demand.
        Assert.True(spec.StartOnDemand);
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("2m", 120)]
    [InlineData("0", 60)]
    [InlineData("soon", 60)]
    public void From_Timeout_ParsedOrTheDefaultMinute(string timeout, int seconds)
    {
        var spec = CommandSpecs.From(Action("mail", ("actionban", "mail <ip>"), ("timeout", timeout)), "sshd");

        Assert.Equal(TimeSpan.FromSeconds(seconds), spec.Timeout);
        Assert.True(spec.SameForBothFamilies);
        Assert.False(spec.StartOnDemand);
    }

    [Fact]
    public void From_NoRestored_IsKept()
    {
        Assert.True(CommandSpecs.From(Action("sendmail", ("actionban", "mail <ip>"), ("norestored", "1")), "sshd").NoRestored);
        Assert.False(CommandSpecs.From(Action("sendmail", ("actionban", "mail <ip>")), "sshd").NoRestored);
    }

    [Theory]
    [InlineData("printf %s '<matches>' | mail root", true)]
    [InlineData("echo <ipjailmatches>", true)]
    [InlineData("logger user <F-USER> from <ip>", true)]
    [InlineData("ipset add f2b <ip>", false)]
    public void UsesMatches_BanLinesInACommand(string command, bool expected)
    {
        Assert.Equal(expected, CommandSpecs.UsesMatches(Action("custom", ("actionban", command))));
    }
}
