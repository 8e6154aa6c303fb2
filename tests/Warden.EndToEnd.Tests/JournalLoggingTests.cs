using System.Text.Json;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Warden's own log under systemd: started as a service of a real systemd-journald (a private one,
/// in the test's mount namespace), with stderr on a journal stream and <c>$JOURNAL_STREAM</c> set
/// as systemd sets it, the daemon logs natively, with priorities and <c>JAIL=</c>/<c>ADDRESS=</c>
/// fields, so <c>journalctl JAIL=sshd ADDRESS=...</c> finds the ban.
/// </summary>
public sealed class JournalLoggingTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new("warden-journal-logging");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("jlog");

    [Fact]
    public async Task Run_UnderSystemd_LogsToTheJournalWithPriorityJailAndAddressFields()
    {
        using var journald = await Journald.StartAsync();
        var log = _dir.File("log/auth.log");
        _dir.Write("log/auth.log", string.Empty);
        _dir.Write("etc/warden.conf", $"[warden]\nfirewall = nftables\nstate = {_dir.File("state/warden.db")}\n[api]\nsocket = {_dir.File("warden.sock")}\n");
        _dir.Write("etc/jail.local", $"""
            [sshd]
            enabled = true
            logpath = {log}
            maxretry = 2
            """);

        var warden = journald.StartService(_ns, "warden-stderr", WardenBinary.Path, ["run", "--config-dir", _dir.File("etc"), "--log-level", "info"]);
        await Eventually.TrueAsync(
            async () => warden.HasExited || (await journald.JournalctlAsync("SYSLOG_IDENTIFIER=warden", "--grep", "Warden started")).StdOut.Contains("Warden started", StringComparison.Ordinal),
            Soon,
            "'Warden started' in the journal");
        Assert.False(warden.HasExited, await JournalAsync(journald));

        var stamp = DateTime.Now.ToString("MMM dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await File.AppendAllTextAsync(log, string.Concat(Enumerable.Repeat($"{stamp} host sshd[99]: Failed password for root from 192.0.2.7 port 4444 ssh2\n", 2)));

        JsonElement ban = default;
        await Eventually.TrueAsync(
            async () =>
            {
                var found = await journald.JournalctlAsync("JAIL=sshd", "ADDRESS=192.0.2.7", "-o", "json");
                foreach (var line in found.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var entry = JsonDocument.Parse(line);
                    if (entry.RootElement.GetProperty("MESSAGE").GetString()!.Contains("Ban 192.0.2.7", StringComparison.Ordinal))
                    {
                        ban = entry.RootElement.Clone();
                        return true;
                    }
                }

                return false;
            },
            Soon,
            "the ban in the journal with JAIL=sshd ADDRESS=192.0.2.7");

        Assert.Equal("4", ban.GetProperty("PRIORITY").GetString());
        Assert.Equal("warden", ban.GetProperty("SYSLOG_IDENTIFIER").GetString());
        Assert.Equal("journal", ban.GetProperty("_TRANSPORT").GetString());
        Assert.Equal(warden.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ban.GetProperty("_PID").GetString());
        Assert.Contains(" 2 failures)", ban.GetProperty("MESSAGE").GetString(), StringComparison.Ordinal);

        // Native entries only: nothing went to the stderr stream as plain lines as well.
        var stderr = await journald.JournalctlAsync("SYSLOG_IDENTIFIER=warden-stderr", "-o", "cat");
        Assert.True(stderr.StdOut.Trim().Length == 0 || stderr.StdOut.Contains("-- No entries --", StringComparison.Ordinal), stderr.StdOut);
        Assert.Contains("192.0.2.7", (await _ns.RunAsync("nft", ["list", "table", "inet", "warden"])).StdOut, StringComparison.Ordinal);

        await Proc.RunAsync("kill", ["-TERM", warden.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var timeout = new CancellationTokenSource(Soon);
        await warden.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, warden.ExitCode);
    }

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    private static async Task<string> JournalAsync(Journald journald) => (await journald.JournalctlAsync("-o", "short")).StdOut;
}
