using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden run</c> on Debian 12's stock /etc/fail2ban (copied; sshd enabled in a jail.local) in a
/// network namespace: Debian's banaction iptables-multiport runs as an action.d command action,
/// with Debian's own action files, against the namespace's iptables.
/// </summary>
public sealed class DebianConfigRunTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-debrun");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("deb");

    [Fact]
    public async Task Run_StockSshdJail_BansAndUnbansThroughDebiansIptablesMultiportAction()
    {
        var config = _dir.File("fail2ban");
        Copy("/etc/fail2ban", config);
        var log = _dir.Write("auth.log", string.Empty);
        var socket = _dir.File("warden.sock");
        _dir.Write("fail2ban/jail.local", $"[sshd]\nenabled = true\nlogpath = {log}\n");
        _dir.Write("fail2ban/warden.conf", $"[warden]\nstate = {_dir.File("warden.db")}\n[api]\nsocket = {socket}\n");
        using var warden = await WardenProcess.StartAsync(_ns, config);
        await warden.WaitForLogAsync("Admin API listening", TimeSpan.FromSeconds(10));

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

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
