using System.Text.RegularExpressions;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>backend = systemd</c> end to end: sshd entries in a real journal (written by
/// systemd-journal-remote, read by journalctl through <c>journalpath</c>) ban through real
/// nftables in a namespace; a restart resumes at the saved cursor, counting each entry once.
/// </summary>
public sealed class JournalBanTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _dir = new("warden-journal-e2e");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("jrn");

    [Fact]
    public async Task Run_BackendSystemd_BansFromTheJournalAndResumesAtTheCursorAfterARestart()
    {
        var journal = new JournalWriter(_dir.File("journal"));
        Directory.CreateDirectory(journal.Directory);
        var state = _dir.File("state/warden.db");
        _dir.Write("etc/warden.conf", $"[warden]\nfirewall = nftables\nstate = {state}\n[api]\nsocket = {_dir.File("warden.sock")}\n");
        _dir.Write("etc/jail.local", $"""
            [sshd]
            enabled = true
            backend = systemd
            journalpath = {journal.Directory}
            logpath = /var/log/not-read-with-systemd.log
            maxretry = 4
            """);
        // Before the first start: as fail2ban does, Warden looks back findtime (10 minutes) once.
        var hourAgo = JournalWriter.Entry(Failed("192.0.2.50"));
        hourAgo["__REALTIME_TIMESTAMP"] = (DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds() * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await journal.WriteAsync(hourAgo, JournalWriter.Entry(Failed("192.0.2.50")), JournalWriter.Entry(Failed("192.0.2.50")));

        var check = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.File("etc")]);
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Matches($@"logs: journal \({Regex.Escape(journal.Directory)}\) matching .*_COMM=sshd", check.StdOut);

        var warden = await WardenProcess.StartAsync(_ns, _dir.File("etc"));
        await warden.WaitForLogAsync("Admin API listening", Soon);

        await Eventually.TrueAsync(async () => await StoredFailuresAsync(state, "192.0.2.50") == 2, Soon, () => $"the two recent failures of before the start stored. Log:\n{warden.Log}");

        // Two new failures, and one from another unit, which the journalmatch leaves out.
        await journal.WriteAsync(
            JournalWriter.Entry(Failed("192.0.2.7")),
            JournalWriter.Entry(Failed("192.0.2.7"), comm: "cron"),
            JournalWriter.Entry(Failed("192.0.2.7")));
        await Eventually.TrueAsync(async () => await StoredFailuresAsync(state, "192.0.2.7") == 2, Soon, () => $"two failures stored. Log:\n{warden.Log}");
        Assert.Equal(0, await warden.StopAsync());
        warden.Dispose();

        // Written while Warden is down: read after the restart, from the saved cursor.
        await journal.WriteAsync(JournalWriter.Entry(Failed("192.0.2.7")));
        using var restarted = await WardenProcess.StartAsync(_ns, _dir.File("etc"));

        await Eventually.TrueAsync(async () => await StoredFailuresAsync(state, "192.0.2.7") == 3, Soon, () => $"three failures stored. Log:\n{restarted.Log}");
        await Task.Delay(500);
        Assert.Equal(3, await StoredFailuresAsync(state, "192.0.2.7"));
        Assert.Equal(2, await StoredFailuresAsync(state, "192.0.2.50"));
        Assert.DoesNotContain("192.0.2.7", await BannedAsync(), StringComparison.Ordinal);

        // The fourth failure reaches maxretry.
        await journal.WriteAsync(JournalWriter.Entry(Failed("192.0.2.7")));
        await Eventually.TrueAsync(async () => (await BannedAsync()).Contains("192.0.2.7", StringComparison.Ordinal), Soon, () => $"192.0.2.7 banned. Log:\n{restarted.Log}");
        Assert.DoesNotContain("192.0.2.50", await BannedAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await restarted.StopAsync());
    }

    [Fact]
    public async Task Run_BackendAutoAndNoLogFile_ReadsTheJournalAndCheckAndStatusSaySo()
    {
        // Debian 12 without rsyslog: no auth.log, sshd logs only to the journal. Debian's sshd
        // jail leaves backend at auto; the filter has a journalmatch, so the journal is read.
        var journal = new JournalWriter(_dir.File("journal"));
        Directory.CreateDirectory(journal.Directory);
        var state = _dir.File("state/warden.db");
        var socket = _dir.File("warden.sock");
        var missing = _dir.File("var/log/auth.log");
        _dir.Write("etc/warden.conf", $"[warden]\nfirewall = nftables\nstate = {state}\n[api]\nsocket = {socket}\n");
        _dir.Write("etc/jail.local", $"""
            [sshd]
            enabled = true
            journalpath = {journal.Directory}
            logpath = {missing}
            maxretry = 2
            """);

        var check = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.File("etc")]);
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        var output = check.StdOut + check.StdErr;
        Assert.Contains($"logpath {missing} does not exist and filter 'sshd' has a journalmatch: the jail reads the journal instead (backend = auto)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("is read once it appears", output, StringComparison.Ordinal);
        Assert.Matches($@"logs: journal \({Regex.Escape(journal.Directory)}\) matching .*_COMM=sshd", check.StdOut);

        using var warden = await WardenProcess.StartAsync(_ns, _dir.File("etc"));
        await warden.WaitForLogAsync("Admin API listening", Soon);
        await journal.WriteAsync(JournalWriter.Entry(Failed("192.0.2.9")), JournalWriter.Entry(Failed("192.0.2.9")));
        await Eventually.TrueAsync(async () => (await BannedAsync()).Contains("192.0.2.9", StringComparison.Ordinal), Soon, () => $"192.0.2.9 banned from the journal. Log:\n{warden.Log}");

        var status = await Proc.RunAsync(WardenBinary.Path, ["status", "sshd", "--json", "--socket", socket]);
        Assert.True(status.ExitCode == 0, status.StdErr);
        using (var doc = System.Text.Json.JsonDocument.Parse(status.StdOut))
        {
            var root = doc.RootElement;
            Assert.Equal(_dir.File("etc"), root.GetProperty("configDirectory").GetString());
            Assert.Equal(state, root.GetProperty("stateFile").GetString());
            Assert.StartsWith("pcre2 ", root.GetProperty("regexEngine").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("nftables", root.GetProperty("firewall").GetString(), StringComparison.Ordinal);
            var source = Assert.Single(Assert.Single(root.GetProperty("jails").EnumerateArray()).GetProperty("sources").EnumerateArray());
            Assert.StartsWith($"journal:{journal.Directory}:", source.GetString(), StringComparison.Ordinal);
        }

        var text = await Proc.RunAsync(WardenBinary.Path, ["status", "--socket", socket]);
        Assert.Contains($"config: {_dir.File("etc")}; state: {state}; firewall: nftables", text.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, await warden.StopAsync());
    }

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    private static string Failed(string address) => $"Failed password for root from {address} port 4444 ssh2";

    private async Task<string> BannedAsync() => (await _ns.RunAsync("nft", ["list", "table", "inet", "warden"])).StdOut;

    private static async Task<int> StoredFailuresAsync(string state, string address)
    {
        var failures = await Proc.RunAsync("sqlite3", [state, $"SELECT count(*) FROM failures WHERE address = '{address}'"]);
        return int.TryParse(failures.StdOut.Trim(), out var n) ? n : -1;
    }
}
