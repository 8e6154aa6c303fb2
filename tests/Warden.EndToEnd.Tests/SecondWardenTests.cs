using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Issue 14, finding 9: two daemons in one network namespace rewrote each other's nftables table
/// about 10 times a second and neither said so. The second now refuses to start, naming the
/// first one's pid, and the first runs on untouched; a first one killed with SIGKILL leaves no
/// stale claim behind.
/// </summary>
public sealed class SecondWardenTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-second");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("second");

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Run_SecondWardenOnTheSameFirewall_RefusesNamingTheFirst()
    {
        using var first = await WardenProcess.StartAsync(_ns, Config("a"), "info");

        var second = await _ns.RunAsync(WardenBinary.Path, ["run", "--config-dir", Config("b"), "--log-level", "info"], TimeSpan.FromSeconds(30));

        var output = second.StdOut + second.StdErr;
        Assert.True(second.ExitCode == 1, $"exit {second.ExitCode}:\n{output}");
        Assert.Contains($"Not starting: another Warden (pid {first.Pid}) already guards this network namespace's nftables firewall", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Warden started", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File(Path.Combine("b", "state.db"))), "the refused one opened its state file");
        Assert.True(first.IsRunning, first.Log);
        Assert.Contains("table inet warden", _ns.Exec("nft", "list", "tables"), StringComparison.Ordinal);

        // Killed, the first one leaves nothing that stops the next start.
        await first.StopAsync("KILL");
        using var third = await WardenProcess.StartAsync(_ns, Config("b"), "info");
        Assert.True(third.IsRunning, third.Log);
    }

    [Fact]
    public async Task Run_ShadowBesideARunningWarden_Starts()
    {
        using var first = await WardenProcess.StartAsync(_ns, Config("a"), "info");

        using var shadow = await WardenProcess.StartAsync(_ns, Config("b", "mode = shadow\n"), "info");

        Assert.True(first.IsRunning && shadow.IsRunning, first.Log + shadow.Log);
    }

    private string Config(string name, string extra = "")
    {
        var log = _dir.Write(Path.Combine(name, "auth.log"), string.Empty);
        _dir.Write(Path.Combine(name, "jail.local"), $"[sshd]\nenabled = true\nfilter = sshd\nlogpath = {log}\nport = 22\n");
        _dir.Write(Path.Combine(name, "warden.conf"), $"[warden]\n{extra}state = {_dir.File(Path.Combine(name, "state.db"))}\n[api]\nsocket = {_dir.File(Path.Combine(name, "api.sock"))}\n");
        return _dir.File(name);
    }
}
