using System.Net.Sockets;
using System.Text;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// The test plays systemd's side of <c>Type=notify</c>: it binds the unix datagram socket it
/// passes as <c>$NOTIFY_SOCKET</c> (with <c>$WATCHDOG_USEC</c>) to a <c>warden run</c> in a
/// namespace, and reads what the daemon says: READY=1 only once the stored ban is back in the
/// kernel set, then WATCHDOG=1 from the running loop, then STOPPING=1 on SIGTERM.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-notify");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("ntfy");
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public void Dispose()
    {
        _systemd.Dispose();
        _ns.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Run_UnderNotifySocket_ReadyAfterRestoreThenWatchdogThenStopping()
    {
        var log = _dir.Write("auth.log", string.Empty);
        _dir.Write("jail.local", $"[sshd]\nenabled = true\nfilter = sshd\nlogpath = {log}\nport = 22\nmaxretry = 1\n");
        _dir.Write("warden.conf", $"[warden]\nstate = {_dir.File("state.db")}\n[api]\nsocket = {_dir.File("api.sock")}\n");
        // A first run bans 192.0.2.9, so the second has a ban to restore before it is ready.
        using (var first = await WardenProcess.StartAsync(_ns, _dir.Path))
        {
            var now = DateTime.Now.ToString("MMM dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            File.AppendAllText(log, $"{now} host sshd[1]: Failed password for root from 192.0.2.9 port 4000 ssh2\n");
            await Eventually.TrueAsync(
                async () => (await _ns.RunAsync("nft", ["list", "table", "inet", "warden"])).StdOut.Contains("192.0.2.9", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20),
                $"192.0.2.9 banned. Log:\n{first.Log}");
            Assert.Equal(0, await first.StopAsync());
        }

        _ns.Exec("nft", "delete", "table", "inet", "warden");
        var socketPath = _dir.File("notify.sock");
        _systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        var process = _ns.Start(WardenBinary.Path, ["run", "--config-dir", _dir.Path], new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socketPath,
            ["WATCHDOG_USEC"] = "1000000",
        });
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginErrorReadLine();

        var ready = await ReceiveAsync(m => m.Contains("READY=1", StringComparison.Ordinal), output);
        // Ready means restored: the kernel set already holds the stored ban when READY=1 arrives.
        var set = _ns.Exec("nft", "list", "table", "inet", "warden");
        Assert.Contains("192.0.2.9", set, StringComparison.Ordinal);
        Assert.Contains("STATUS=1 jails, firewall nftables", ready, StringComparison.Ordinal);

        await ReceiveAsync(m => m == "WATCHDOG=1", output);
        await ReceiveAsync(m => m == "WATCHDOG=1", output);

        await Proc.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await ReceiveAsync(m => m == "STOPPING=1", output);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(exit.Token);
        Assert.Equal(0, process.ExitCode);
    }

    private async Task<string> ReceiveAsync(Func<string, bool> wanted, StringBuilder output)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var count = await _systemd.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                var message = Encoding.UTF8.GetString(buffer, 0, count);
                if (wanted(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            lock (output)
            {
                throw new TimeoutException($"no such notification within 30 s. warden's log:\n{output}");
            }
        }
    }
}
