using System.Diagnostics;
using System.Globalization;

namespace Warden.TestKit;

/// <summary>
/// A real OpenSSH sshd running in a namespace, its messages written to a log file framed as
/// Debian 12's rsyslog frames them (<c>2026-11-23T01:24:01.123456+00:00 server sshd[PID]: MESSAGE</c>).
/// sshd runs with <c>-D -e</c> (messages on stderr, no syslog daemon needed in the namespace).
/// </summary>
public sealed class SshServer : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _gate = new();
    private bool _closed;

    private SshServer(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    /// <summary>The log file sshd's messages go to.</summary>
    public string LogPath { get; }

    /// <summary>Starts sshd on port 22 of the namespace; root's password is not known to anyone.</summary>
    public static async Task<SshServer> StartAsync(NetworkNamespace ns, TempDirectory dir, string logPath)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(dir);
        Directory.CreateDirectory("/run/sshd");
        var hostKey = dir.File("ssh_host_ed25519_key");
        if (!File.Exists(hostKey))
        {
            await Proc.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey);
        }

        var config = dir.Write("sshd_config", $"""
            Port 22
            ListenAddress 0.0.0.0
            HostKey {hostKey}
            PidFile none
            UsePAM no
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            PermitRootLogin yes
            MaxAuthTries 6
            LogLevel INFO
            """);
        var process = ns.Start("/usr/sbin/sshd", ["-D", "-e", "-f", config]);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
        var server = new SshServer(process, log, logPath);
        await Eventually.TrueAsync(() => File.ReadAllText(logPath).Contains("Server listening", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "sshd listening");
        return server;
    }

    /// <summary>
    /// One failed password login for <paramref name="user"/> from <paramref name="from"/> to
    /// <paramref name="address"/>; returns sshpass' exit code (5 = wrong password, 255 = no connection).
    /// </summary>
    public static async Task<int> FailLoginAsync(NetworkNamespace from, string address, string user = "root")
    {
        ArgumentNullException.ThrowIfNull(from);
        var result = await from.RunAsync("sshpass", ["-p", "wrong-password", "ssh",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
            "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=3",
            $"{user}@{address}", "true"], TimeSpan.FromSeconds(20));
        return result.ExitCode;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        lock (_gate)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Write(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return;
        }

        var stamp = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _log.Write($"{stamp} server sshd[{_process.Id}]: {message.TrimEnd('\r')}\n");
        }
    }
}
