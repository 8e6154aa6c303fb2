using System.Globalization;
using System.Text.RegularExpressions;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Live reload in a namespace: with a ban in force, jail.local gains a jail and changes another's
/// maxretry; after SIGHUP the new jail bans, the changed one counts to its new maxretry, the
/// unchanged one kept its counted failures, and the old ban never left the kernel set. Then a
/// broken jail.local: SIGHUP and <c>warden reload</c> are refused with file and line, and the
/// daemon goes on with the configuration it ran.
/// </summary>
public sealed class ReloadTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new("warden-reload");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("rld");

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Sighup_AddedAndChangedJails_TakeEffectBansAndCountsKept_BrokenConfigRefused()
    {
        var socket = _dir.File("warden.sock");
        var state = _dir.File("warden.db");
        var log1 = _dir.Write("log/one.log", string.Empty);
        var log2 = _dir.Write("log/two.log", string.Empty);
        var log3 = _dir.Write("log/three.log", string.Empty);
        _dir.Write("etc/warden.conf", $"[warden]\nstate = {state}\n[api]\nsocket = {socket}\n");
        var jailLocal = _dir.Write("etc/jail.local", Jails(log1, log2, log3, auth2MaxRetry: 2, extra: null));
        using var warden = await WardenProcess.StartAsync(_ns, _dir.File("etc"));

        Fail(log2, "192.0.2.10", 2);
        await BannedAsync("auth2", "192.0.2.10", warden);
        Fail(log1, "192.0.2.20", 2);
        await Eventually.TrueAsync(async () => await Sql("SELECT coalesce(sum(attempts), 0) FROM failures WHERE jail = 'sshd'") == "2", Soon, () => $"sshd's two failures stored. Log:\n{warden.Log}");

        File.WriteAllText(jailLocal, Jails(log1, log2, log3, auth2MaxRetry: 4, extra: "maxretry = 1"));
        await Signal(warden, "HUP");
        await Eventually.TrueAsync(() => Count(warden.Log, "Warden started") == 2, Soon, () => $"second start. Log:\n{warden.Log}");

        Assert.Contains("Reload requested (SIGHUP)", warden.Log, StringComparison.Ordinal);
        Assert.Contains("added: extra; removed: none", warden.Log, StringComparison.Ordinal);
        Assert.Contains("192.0.2.10", await SetAsync("auth2"), StringComparison.Ordinal);
        Fail(log3, "192.0.2.30", 1);
        await BannedAsync("extra", "192.0.2.30", warden);
        Fail(log1, "192.0.2.20", 1);
        await BannedAsync("sshd", "192.0.2.20", warden);
        Assert.Equal("3", await Sql("SELECT failures FROM bans WHERE target = '192.0.2.20/32'"));
        Fail(log2, "192.0.2.40", 4);
        await BannedAsync("auth2", "192.0.2.40", warden);
        Assert.Equal("4", await Sql("SELECT failures FROM bans WHERE target = '192.0.2.40/32'"));

        File.WriteAllText(jailLocal, Jails(log1, log2, log3, auth2MaxRetry: 4, extra: "maxretry = three"));
        var line = Array.FindIndex(File.ReadAllLines(jailLocal), l => l.Contains("maxretry = three", StringComparison.Ordinal)) + 1;
        await Signal(warden, "HUP");
        await warden.WaitForLogAsync("Reload refused", Soon);
        var reload = await Proc.RunAsync(WardenBinary.Path, ["reload", "--socket", socket]);

        Assert.True(warden.Log.Contains($"{jailLocal}:{line}:", StringComparison.Ordinal), $"{jailLocal}:{line}: in the log:\n{warden.Log}");
        Assert.True(reload.ExitCode == 1, reload.StdOut + reload.StdErr);
        Assert.Contains($"error: {jailLocal}:{line}:", reload.StdOut, StringComparison.Ordinal);
        Assert.True(warden.IsRunning);
        Assert.Equal(2, Count(warden.Log, "Warden started"));
        Fail(log3, "192.0.2.50", 1);
        await BannedAsync("extra", "192.0.2.50", warden);
        Assert.Contains("192.0.2.10", await SetAsync("auth2"), StringComparison.Ordinal);
        Assert.Equal(0, await warden.StopAsync());
    }

    private static string Jails(string log1, string log2, string log3, int auth2MaxRetry, string? extra) =>
        $"""
        [DEFAULT]
        filter = sshd
        port = ssh

        [sshd]
        enabled = true
        logpath = {log1}
        maxretry = 3

        [auth2]
        enabled = true
        logpath = {log2}
        maxretry = {auth2MaxRetry}
        """ + (extra is null ? "\n" : $"""


        [extra]
        enabled = true
        logpath = {log3}
        {extra}

        """);

    private static void Fail(string log, string address, int times)
    {
        var now = DateTime.Now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
        for (var i = 0; i < times; i++)
        {
            File.AppendAllText(log, $"{now} host sshd[7]: Failed password for root from {address} port {4000 + i} ssh2\n");
        }
    }

    private async Task BannedAsync(string jail, string address, WardenProcess warden) =>
        await Eventually.TrueAsync(async () => (await SetAsync(jail)).Contains(address, StringComparison.Ordinal), Soon, () => $"{address} banned in {jail}. Log:\n{warden.Log}");

    private async Task<string> SetAsync(string jail) =>
        (await _ns.RunAsync("nft", ["list", "set", "inet", "warden", jail + "_h4"])).StdOut;

    private async Task<string> Sql(string query) =>
        (await Proc.RunAsync("sqlite3", [_dir.File("warden.db"), query])).StdOut.Trim();

    private static Task<ProcessResult> Signal(WardenProcess warden, string signal) =>
        Proc.RunAsync("kill", ["-" + signal, warden.Pid.ToString(CultureInfo.InvariantCulture)]);

    private static int Count(string text, string what) => Regex.Count(text, Regex.Escape(what));
}
