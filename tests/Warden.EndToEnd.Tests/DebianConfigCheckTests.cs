using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden check</c> on Debian 12's stock /etc/fail2ban, copied to a temp directory (the system's
/// configuration is never touched), with the sshd jail enabled in a jail.local there.
/// </summary>
public sealed class DebianConfigCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-debian");

    [Fact]
    public async Task Check_StockConfigWithSshdEnabled_PassesWithoutError()
    {
        _dir.CopyIn("/etc/fail2ban");
        _dir.Write("jail.local", "[sshd]\nenabled = true\n");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.DoesNotContain("error:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("jail sshd: filter sshd[mode=normal]", result.StdOut, StringComparison.Ordinal);
        // Debian's banaction is iptables-multiport: a set of addresses and a rule, which the native backend does.
        Assert.Contains("enforced by: iptables-multiport -> nftables (native)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("OK: 1 jail(s)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_StockConfigWithNativeActionsOff_RunsIptablesMultiportAsCommandAction()
    {
        _dir.CopyIn("/etc/fail2ban");
        _dir.Write("jail.local", "[sshd]\nenabled = true\n");
        _dir.Write("warden.conf", "[warden]\nnative_actions = false\n");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("enforced by: iptables-multiport (command action)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_StockConfigWithNftablesBanaction_GoesToTheNativeBackend()
    {
        _dir.CopyIn("/etc/fail2ban");
        _dir.Write("jail.local", "[DEFAULT]\nbanaction = nftables-multiport\nbanaction_allports = nftables-allports\n[sshd]\nenabled = true\n[recidive]\nenabled = true\n");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("enforced by: nftables-multiport -> nftables (native)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("enforced by: nftables-allports -> nftables (native)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("jail recidive: filter recidive[mode=normal], 5 failures in 1.00:00:00 -> ban 7.00:00:00; logs: bans of the other jails", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("OK: 2 jail(s)", result.StdOut, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
