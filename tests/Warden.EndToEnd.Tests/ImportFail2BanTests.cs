using System.Text.Json;
using System.Text.RegularExpressions;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden import-fail2ban</c> over a database written by Debian's fail2ban itself (its
/// server/database.py, run by the system python3): the bans in force are in Warden's nftables
/// sets after the next start with their remaining time, ended ones are history only, and a
/// second import adds nothing.
/// </summary>
public sealed partial class ImportFail2BanTests : IDisposable
{
    // fail2ban's own Fail2BanDb and BanTicket write the database, as fail2ban-server does at each ban.
    private const string WriteDatabase = """
        import sys, time
        from fail2ban.server.database import Fail2BanDb
        from fail2ban.server.ticket import BanTicket
        class Actions:
            def getBanTime(self): return 600
        class Jail:
            def __init__(self, name): self.name = name; self.actions = Actions(); self.idle = False
        db = Fail2BanDb(sys.argv[1])
        sshd = Jail('sshd'); db.addJail(sshd)
        now = time.time()
        def ban(ip, at, bantime, count, matches):
            t = BanTicket(ip, at, matches); t.setBanTime(bantime); t.setBanCount(count); t.setData('failures', len(matches))
            db.addBan(sshd, t)
        ban('192.0.2.11', now - 7200, 600, 1, ['ended 192.0.2.11'])
        ban('192.0.2.10', now - 600, 3600, 2, ['one 192.0.2.10', 'two 192.0.2.10', 'three 192.0.2.10'])
        ban('2001:db8::5', now - 30, -1, 1, ['v6 2001:db8::5'])
        """;

    private readonly TempDirectory _dir = new("warden-import");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("imp");

    [Fact]
    public async Task Import_RealFail2BanDatabase_BansInForceAreInTheKernelSetsWithTheirRemainingTime()
    {
        var state = _dir.File("state/warden.db");
        var socket = _dir.File("run/warden.sock");
        var database = _dir.File("fail2ban.sqlite3");
        _dir.Write("etc/warden.conf", $"[warden]\nfirewall = nftables\nstate = {state}\n[api]\nsocket = {socket}\n");
        _dir.Write("etc/jail.local", $"[sshd]\nenabled = true\nport = ssh\nlogpath = {_dir.Write("log/auth.log", string.Empty)}\n");
        var script = _dir.Write("write-db.py", WriteDatabase);
        (await Proc.RunAsync("/usr/bin/python3", [script, database])).EnsureSuccess();

        var imported = await Warden("import-fail2ban", database, "--config-dir", _dir.File("etc"));
        var again = await Warden("import-fail2ban", database, "--config-dir", _dir.File("etc"));

        Assert.True(imported.ExitCode == 0, imported.StdErr);
        Assert.Contains("imported 3 ban(s)", imported.StdOut, StringComparison.Ordinal);
        Assert.Contains("2 in force, 1 ended", imported.StdOut, StringComparison.Ordinal);
        Assert.Contains("imported 0 ban(s)", again.StdOut, StringComparison.Ordinal);
        Assert.Contains("3 already imported", again.StdOut, StringComparison.Ordinal);

        using var warden = await WardenProcess.StartAsync(_ns, _dir.File("etc"));
        await warden.WaitForLogAsync("Admin API listening", TimeSpan.FromSeconds(10));
        var v4 = _ns.Exec("nft", "list", "set", "inet", "warden", "sshd_h4");
        var v6 = _ns.Exec("nft", "list", "set", "inet", "warden", "sshd_h6");

        Assert.DoesNotContain("192.0.2.11", v4, StringComparison.Ordinal);
        var expires = ExpiresPattern().Match(v4);
        Assert.True(expires.Success, v4);
        var remaining = TimeSpan.FromMinutes(int.Parse(expires.Groups["m"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(remaining, TimeSpan.FromMinutes(45), TimeSpan.FromMinutes(50));
        Assert.Contains("2001:db8::5", v6, StringComparison.Ordinal);
        Assert.DoesNotContain("expires", v6, StringComparison.Ordinal);

        var show = await Warden("show", "192.0.2.10", "--json", "--socket", socket);
        using var doc = JsonDocument.Parse(show.StdOut);
        var ban = Assert.Single(doc.RootElement.GetProperty("bans").EnumerateArray());
        Assert.Equal("fail2ban (imported)", ban.GetProperty("by").GetString());
        Assert.Equal(1, ban.GetProperty("step").GetInt32());
        Assert.Equal(["one 192.0.2.10", "two 192.0.2.10", "three 192.0.2.10"], ban.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("line").GetString()));
        Assert.Equal(0, await warden.StopAsync());
    }

    [Fact]
    public async Task Import_MissingDatabase_SaysWhereFail2BanKeepsIt()
    {
        _dir.Write("etc/warden.conf", $"[warden]\nstate = {_dir.File("state/warden.db")}\n");
        var result = await Warden("import-fail2ban", _dir.File("none.sqlite3"), "--config-dir", _dir.File("etc"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("none.sqlite3: no such file", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("state/warden.db")));
    }

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    private static Task<ProcessResult> Warden(params string[] args) => Proc.RunAsync(WardenBinary.Path, args);

    [GeneratedRegex(@"192\.0\.2\.10 timeout \S+ expires (?<m>\d+)m")]
    private static partial Regex ExpiresPattern();
}
