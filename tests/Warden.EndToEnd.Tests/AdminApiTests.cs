using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden ban/unban/status</c> reaching a running daemon over its unix socket: bans land in
/// the kernel set (native jail) or run the jail's action.d command action, pass the allowlist
/// guard, and are recorded in the history.
/// </summary>
public sealed class AdminApiTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-api");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("api");

    [Fact]
    public async Task BanStatusUnban_ThroughTheSocket_ChangeTheKernelSetTheActionAndTheHistory()
    {
        var socket = _dir.File("run/warden.sock");
        var state = _dir.File("state/warden.db");
        var actionLog = _dir.File("action.log");
        var log = _dir.Write("log/auth.log", string.Empty);
        _dir.Write("etc/warden.conf", $"[warden]\nfirewall = nftables\nstate = {state}\n[api]\nsocket = {socket}\n");
        _dir.Write("etc/action.d/record.conf", $"""
            [Definition]
            actionstart = echo start >> {actionLog}
            actionban = echo ban <ip> for <bantime>s >> {actionLog}
            actionunban = echo unban <ip> >> {actionLog}
            """);
        _dir.Write("etc/jail.local", $"""
            [DEFAULT]
            ignoreip = 127.0.0.1/8 ::1 192.0.2.200
            logpath = {log}

            [sshd]
            enabled = true
            port = ssh

            [web]
            enabled = true
            filter = sshd
            action = record
            """);
        using var warden = await WardenProcess.StartAsync(_ns, _dir.File("etc"));
        await warden.WaitForLogAsync("Admin API listening", TimeSpan.FromSeconds(10));

        var ban = await Warden("ban", "sshd", "198.51.100.7", "--time", "1h", "--socket", socket);
        var banWeb = await Warden("ban", "web", "198.51.100.8", "--socket", socket);
        var refusedIgnored = await Warden("ban", "sshd", "192.0.2.0/24", "--socket", socket);
        var refusedAll = await Warden("ban", "sshd", "0.0.0.0/0", "--socket", socket);
        var unknown = await Warden("ban", "nope", "198.51.100.9", "--socket", socket);
        var status = await Warden("status", "--bans", "--socket", socket);

        Assert.True(ban.ExitCode == 0, ban.StdErr + warden.Log);
        Assert.Contains("banned 198.51.100.7 in sshd", ban.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, banWeb.ExitCode);
        Assert.Equal(1, refusedIgnored.ExitCode);
        Assert.Contains("ignoreip", refusedIgnored.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, refusedAll.ExitCode);
        Assert.Contains("every address", refusedAll.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no jail 'nope'", unknown.StdErr, StringComparison.Ordinal);
        Assert.Contains("2 ban(s) in force", status.StdOut, StringComparison.Ordinal);
        Assert.Contains("sshd 198.51.100.7", status.StdOut, StringComparison.Ordinal);
        Assert.Contains("198.51.100.7", _ns.Exec("nft", "list", "set", "inet", "warden", "sshd_h4"));
        Assert.Equal(["start", "ban 198.51.100.8 for 600s"], File.ReadAllLines(actionLog));

        var unban = await Warden("unban", "198.51.100.7", "--socket", socket);
        var unbanAll = await Warden("unban", "--all", "--socket", socket);

        Assert.Equal(0, unban.ExitCode);
        Assert.DoesNotContain("198.51.100.7", _ns.Exec("nft", "list", "set", "inet", "warden", "sshd_h4"));
        Assert.Contains("1 ban(s) lifted", unbanAll.StdOut, StringComparison.Ordinal);
        Assert.Equal(["start", "ban 198.51.100.8 for 600s", "unban 198.51.100.8"], File.ReadAllLines(actionLog));
        var history = await Proc.RunAsync("sqlite3", [state, "SELECT jail || ' ' || target || ' ' || origin || ' ' || (lifted IS NOT NULL) FROM bans ORDER BY id"]);
        Assert.Equal("sshd 198.51.100.7/32 Manual 1\nweb 198.51.100.8/32 Manual 1", history.StdOut.Trim());
        Assert.Equal(0, await warden.StopAsync());
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task Socket_UnderUmask000_NeverExistsWithAWiderModeThan0660()
    {
        // bind(2) makes the socket 0777 & ~umask; under umask 000 a chmod after it left a moment
        // in which any local user could connect and ban. Watched as fast as the test can while
        // the daemon starts: every mode seen at the path is 0660.
        var socket = _dir.File("run/warden.sock");
        _dir.Write("log/auth.log", string.Empty);
        _dir.Write("etc/warden.conf", $"[warden]\nfirewall = nftables\nstate = {_dir.File("state/warden.db")}\n[api]\nsocket = {socket}\n");
        _dir.Write("etc/jail.local", $"[sshd]\nenabled = true\nlogpath = {_dir.File("log/auth.log")}\n");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        var seen = new HashSet<UnixFileMode>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            while (!watching.IsCancellationRequested)
            {
                try
                {
                    if (File.Exists(socket))
                    {
                        seen.Add(File.GetUnixFileMode(socket));
                    }
                }
                catch (IOException)
                {
                    // renamed or removed between the two calls
                }
            }
        });
        var daemon = _ns.Start("sh", ["-c", "umask 000; exec \"$0\" run --config-dir \"$1\"", WardenBinary.Path, _dir.File("etc")]);
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        await Eventually.TrueAsync(async () => (await Warden("status", "--socket", socket)).ExitCode == 0, TimeSpan.FromSeconds(30), "the daemon answering on its socket");
        await watching.CancelAsync();
        await watcher;

        Assert.Equal([UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite], seen);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(socket)!, ".warden-api-*"));
        await Proc.RunAsync("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await daemon.WaitForExitAsync(exit.Token);
        Assert.False(File.Exists(socket), "the socket is removed at exit");
    }

    [Fact]
    public async Task Status_NoDaemon_SaysItCannotReachIt()
    {
        var result = await Warden("status", "--socket", _dir.File("none.sock"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot reach the Warden daemon", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    private static Task<ProcessResult> Warden(params string[] args) => Proc.RunAsync(WardenBinary.Path, args);
}
