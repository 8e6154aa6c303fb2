using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden run</c> on Debian 12's stock /etc/fail2ban (copied; sshd enabled in a jail.local) in a
/// network namespace. With <c>native_actions = false</c>, Debian's banaction iptables-multiport runs as
/// an action.d command action, with Debian's own action files, against the namespace's iptables; by
/// default the same jail goes to the native nftables set.
/// </summary>
public sealed class DebianConfigRunTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-debrun");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("deb");

    [Fact]
    public async Task Run_StockSshdJail_BansAndUnbansThroughDebiansIptablesMultiportAction()
    {
        var socket = _dir.File("warden.sock");
        using var warden = await StartStockSshdAsync(socket, "native_actions = false\n");

        var ban = await Proc.RunAsync(WardenBinary.Path, ["ban", "sshd", "198.51.100.7", "--socket", socket]);

        Assert.True(ban.ExitCode == 0, ban.StdErr + warden.Log);
        var rules = _ns.Exec("iptables", "-w", "-S");
        Assert.Contains("-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd", rules, StringComparison.Ordinal);
        Assert.Contains("-A f2b-sshd -s 198.51.100.7/32 -j REJECT --reject-with icmp-port-unreachable", rules, StringComparison.Ordinal);

        var unban = await Proc.RunAsync(WardenBinary.Path, ["unban", "198.51.100.7", "--socket", socket]);

        Assert.Equal(0, unban.ExitCode);
        Assert.DoesNotContain("198.51.100.7", _ns.Exec("iptables", "-w", "-S", "f2b-sshd"), StringComparison.Ordinal);
        Assert.Equal(0, await warden.StopAsync());
    }

    [Fact]
    public async Task Run_StockSshdJail_IptablesMultiportGoesToTheNativeNftablesSet()
    {
        var socket = _dir.File("warden.sock");
        using var warden = await StartStockSshdAsync(socket, string.Empty);

        var ban = await Proc.RunAsync(WardenBinary.Path, ["ban", "sshd", "198.51.100.7", "--socket", socket]);

        Assert.True(ban.ExitCode == 0, ban.StdErr + warden.Log);
        Assert.Contains("198.51.100.7", _ns.Exec("nft", "list", "set", "inet", "warden", "sshd_h4"), StringComparison.Ordinal);
        Assert.DoesNotContain("f2b-sshd", _ns.Exec("iptables", "-w", "-S"), StringComparison.Ordinal);
        Assert.Equal(0, await warden.StopAsync());
    }

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    // Debian's /etc/fail2ban copied as is, with the sshd jail enabled on a log of the test's own.
    private async Task<WardenProcess> StartStockSshdAsync(string socket, string wardenSettings)
    {
        var config = _dir.File("fail2ban");
        _dir.CopyIn("/etc/fail2ban", "fail2ban");
        var log = _dir.Write("auth.log", string.Empty);
        _dir.Write("fail2ban/jail.local", $"[sshd]\nenabled = true\nlogpath = {log}\n");
        _dir.Write("fail2ban/warden.conf", $"[warden]\n{wardenSettings}state = {_dir.File("warden.db")}\n[api]\nsocket = {socket}\n");
        var warden = await WardenProcess.StartAsync(_ns, config);
        await warden.WaitForLogAsync("Admin API listening", TimeSpan.FromSeconds(10));
        return warden;
    }
}
