using System.Diagnostics;
using System.Globalization;

namespace Warden.TestKit;

/// <summary>
/// A real systemd-journald of the test's own: started in a private mount namespace whose
/// /run/systemd/journal, /run/log and /var/log/journal are empty tmpfs mounts, so it neither sees
/// nor writes this machine's journal. Programs run "as a service" under it get what systemd gives
/// a unit with <c>StandardError=journal</c>: stdout and stderr on a journal stream and
/// <c>$JOURNAL_STREAM</c> naming it. Dispose kills journald, and the namespace goes with it.
/// </summary>
public sealed class Journald : IDisposable
{
    private const string Daemon = "/lib/systemd/systemd-journald";
    private readonly Process _journald;
    private readonly List<Process> _services = [];

    private Journald(Process journald) => _journald = journald;

    private string Pid => _journald.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts journald and waits until its native socket is there.</summary>
    public static async Task<Journald> StartAsync()
    {
        const string Setup = "set -e; mount --make-rprivate /; "
            + "for d in /run/systemd/journal /run/log /var/log/journal; do mkdir -p $d; mount -t tmpfs tmpfs $d; done; "
            + "exec " + Daemon;
        var process = Process.Start(Proc.Start("unshare", ["--mount", "sh", "-c", Setup]))
            ?? throw new InvalidOperationException("cannot start systemd-journald");
        var journald = new Journald(process);
        try
        {
            await Eventually.TrueAsync(
                async () => process.HasExited || (await journald.RunAsync("test", ["-S", "/run/systemd/journal/socket"])).ExitCode == 0,
                TimeSpan.FromSeconds(15),
                "journald's socket");
            if (process.HasExited)
            {
                throw new InvalidOperationException($"systemd-journald exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
            }
        }
        catch
        {
            journald.Dispose();
            throw;
        }

        return journald;
    }

    /// <summary>Runs a program in journald's mount namespace (journalctl reads this journal there).</summary>
    public Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null) =>
        Proc.RunAsync("nsenter", new[] { "-t", Pid, "-m", "--", file }.Concat(args), timeout);

    /// <summary>journalctl over this journal, without a pager.</summary>
    public Task<ProcessResult> JournalctlAsync(params string[] args) =>
        RunAsync("journalctl", new[] { "--no-pager" }.Concat(args));

    /// <summary>
    /// Starts a program as systemd starts a service: in <paramref name="ns"/>, with stdout and
    /// stderr on a journal stream (systemd-cat, identifier <paramref name="identifier"/>) and
    /// <c>$JOURNAL_STREAM</c> set to that stream's device and inode. The program is exec'd, so
    /// the process id is its own. Killed on dispose.
    /// </summary>
    public Process StartService(NetworkNamespace ns, string identifier, string file, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(ns);
        const string Exec = "JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) exec \"$@\"";
        var process = Process.Start(Proc.Start(
            "nsenter",
            new[] { "-t", Pid, "-m", "--", "ip", "netns", "exec", ns.Name, "systemd-cat", "-t", identifier, "sh", "-c", Exec, "sh", file }.Concat(args)))
            ?? throw new InvalidOperationException($"cannot start {file}");
        _services.Add(process);
        return process;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var process in _services.Append(_journald))
        {
            Proc.KillAndDispose(process);
        }
    }
}
