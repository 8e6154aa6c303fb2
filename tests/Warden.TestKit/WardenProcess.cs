using System.Diagnostics;
using System.Text;

namespace Warden.TestKit;

/// <summary>
/// A <c>warden run</c> started by a test (inside a namespace), with its log captured so the test
/// can wait for events and show the log when an assertion fails.
/// </summary>
public sealed class WardenProcess : IDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private WardenProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the daemon printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>The process id of the daemon (the ip-netns-exec'd program).</summary>
    public int Pid => _process.Id;

    /// <summary>Starts <c>warden run --config-dir DIR</c> in the namespace and waits until it reports it started.</summary>
    public static async Task<WardenProcess> StartAsync(NetworkNamespace ns, string configDir, string logLevel = "debug")
    {
        ArgumentNullException.ThrowIfNull(ns);
        var process = ns.Start(WardenBinary.Path, ["run", "--config-dir", configDir, "--log-level", logLevel]);
        var warden = new WardenProcess(process);
        await warden.WaitForLogAsync("Warden started", TimeSpan.FromSeconds(30));
        return warden;
    }

    /// <summary>Waits until the log contains <paramref name="text"/>; fails with the log so far.</summary>
    public Task WaitForLogAsync(string text, TimeSpan timeout) =>
        Eventually.TrueAsync(
            () => Log.Contains(text, StringComparison.Ordinal) || !IsRunning,
            timeout,
            $"warden log to contain '{text}'. Log so far:\n{Log}")
        .ContinueWith(
            t =>
            {
                if (t.IsFaulted)
                {
                    throw new TimeoutException($"warden log never contained '{text}'. Log:\n{Log}", t.Exception);
                }

                if (!Log.Contains(text, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"warden exited ({_process.ExitCode}) before logging '{text}'. Log:\n{Log}");
                }
            },
            TaskScheduler.Default);

    /// <summary>Sends a signal (SIGTERM by default) and waits for the exit code.</summary>
    public async Task<int> StopAsync(string signal = "TERM")
    {
        // ip netns exec execs the program, so the pid is warden's own.
        await Proc.RunAsync("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
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
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
