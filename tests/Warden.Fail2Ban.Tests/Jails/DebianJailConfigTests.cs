using Warden.Fail2Ban.Jails;

namespace Warden.Fail2Ban.Tests.Jails;

/// <summary>Debian 12's stock /etc/fail2ban (copied), read as fail2ban would read it.</summary>
public sealed class DebianJailConfigTests
{
    [Fact]
    public void Load_StockConfigWithSshdEnabled_ReadsSshdWithoutErrors()
    {
        using var config = new DebianConfig("[sshd]\nenabled = true\n");

        var result = JailConfigLoader.Load(config.Path);

        Assert.Empty(result.Errors.Select(e => e.ToString()));
        var sshd = Assert.Single(result.Jails);
        Assert.Equal("sshd", sshd.Name);
        Assert.Equal("sshd[mode=normal]", sshd.Filter);
        Assert.Equal(["/var/log/auth.log"], sshd.LogPaths);
        Assert.Equal(5, sshd.Policy.MaxRetry);
        Assert.Equal(5, sshd.Policy.MaxMatches);
        Assert.Equal(TimeSpan.FromMinutes(10), sshd.Policy.BanTime);
        Assert.Equal([new Core.Jails.PortRange(22, 22)], sshd.Policy.Ports);
        var action = Assert.Single(sshd.ActionDefinitions);
        Assert.Equal("iptables-multiport", action.File);
        Assert.Equal("iptables -w -I f2b-sshd 1 -s <ip> -j REJECT --reject-with icmp-port-unreachable", action.Command("actionban", "inet4"));
        Assert.Equal("ip6tables -w -I f2b-sshd 1 -s <ip> -j REJECT --reject-with icmp6-port-unreachable", action.Command("actionban", "inet6"));
        Assert.Contains("-m multiport --dports ssh -j f2b-sshd", action.Command("actionstart", "inet4"), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EveryStockJailEnabled_ReadsAllOfThemWithoutErrors()
    {
        using var config = new DebianConfig("[DEFAULT]\nenabled = true\n");

        var result = JailConfigLoader.Load(config.Path);

        Assert.Empty(result.Errors.Select(e => e.ToString()));
        Assert.True(result.Jails.Count > 80, $"only {result.Jails.Count} jails");
        Assert.Contains(result.Jails, j => j.Name == "recidive" && j.Policy.CountsBans && j.LogPaths.Count == 0);
    }
}
