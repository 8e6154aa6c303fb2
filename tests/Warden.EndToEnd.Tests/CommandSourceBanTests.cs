using System.Globalization;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>logcommand</c> end to end: a jail with no log file reads a command's standard output (here
/// <c>tail -F</c>, standing in for <c>tcpdump -l</c> or <c>docker logs -f</c>), bans through real
/// nftables in a namespace, and the command does not outlive Warden.
/// </summary>
public sealed class CommandSourceBanTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _dir = new("warden-command-e2e");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("cmd");

    [Fact]
    public async Task Run_LogCommand_BansFromItsOutputAndStopsItOnExit()
    {
        var feed = _dir.Write("feed/app log.txt", string.Empty);
        _dir.Write("etc/warden.conf", $"[warden]\nfirewall = nftables\nstate = {_dir.File("warden.db")}\n[api]\nsocket = {_dir.File("warden.sock")}\n");
        _dir.Write("etc/jail.local", $"""
            [sshd]
            enabled = true
            logcommand = /usr/bin/tail -n 0 -F "{feed}"
            maxretry = 2
            """);
        using var warden = await WardenProcess.StartAsync(_ns, _dir.File("etc"));
        await Eventually.TrueAsync(() => TailPids(feed).Count == 1, Soon, () => $"tail running. Log:\n{warden.Log}");

        var now = DateTime.Now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
        File.AppendAllText(feed, $"{now} srv1 sshd[77]: Failed password for root from 192.0.2.77 port 4444 ssh2\n");
        File.AppendAllText(feed, $"{now} srv1 sshd[77]: Failed password for root from 192.0.2.77 port 4444 ssh2\n");

        await Eventually.TrueAsync(async () => (await BannedAsync()).Contains("192.0.2.77", StringComparison.Ordinal), Soon, () => $"192.0.2.77 banned. Log:\n{warden.Log}");
        Assert.Equal(0, await warden.StopAsync());
        await Eventually.TrueAsync(() => TailPids(feed).Count == 0, Soon, "tail gone with Warden");
    }

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    private async Task<string> BannedAsync() => (await _ns.RunAsync("nft", ["list", "table", "inet", "warden"])).StdOut;

    /// <summary>Processes whose command line names the feed (only this test's tail can).</summary>
    private static List<int> TailPids(string feed)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Contains(feed))
                    {
                        pids.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // Gone meanwhile.
                }
            }
        }

        return pids;
    }
}
