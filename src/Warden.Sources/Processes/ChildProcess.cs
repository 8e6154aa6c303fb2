using System.Diagnostics;
using System.Text;
using Warden.Core.Ports;

namespace Warden.Sources.Processes;

/// <summary>
/// A program a source reads from (journalctl, tcpdump, a user's command). Started from an
/// argument list, never a shell string, so text from logs or config can never become shell
/// syntax; its standard error is kept (the last 4 KiB) to say why it failed; it is killed when
/// the reader stops. Owned by one reader.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int StderrKept = 4096;
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
        _stderrPump = PumpStderrAsync();
    }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The program's standard output.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The last few KiB the program wrote to standard error.</summary>
    public string ErrorTail
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString().Trim();
            }
        }
    }

    /// <summary>Starts <paramref name="argv"/> (program first).</summary>
    /// <exception cref="LogSourceException">The program cannot be started.</exception>
    public static ChildProcess Start(string sourceId, IReadOnlyList<string> argv, bool redirectInput = false)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0 || string.IsNullOrEmpty(argv[0]))
        {
            throw new LogSourceException(sourceId, "no program to run");
        }

        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        var description = string.Join(' ', argv);
        try
        {
            var process = Process.Start(psi) ?? throw new LogSourceException(sourceId, $"cannot start {description}");
            return new ChildProcess(process, description);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LogSourceException(sourceId, $"cannot start {description}: {ex.Message}", ex);
        }
    }

    /// <summary>Closes the program's standard input (it was redirected so it does not read Warden's).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the program to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _stderrPump;
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            await _stderrPump;
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task PumpStderrAsync()
    {
        var buffer = new char[1024];
        var reader = _process.StandardError;
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_stderr)
            {
                _stderr.Append(buffer, 0, n);
                if (_stderr.Length > StderrKept)
                {
                    _stderr.Remove(0, _stderr.Length - StderrKept);
                }
            }
        }
    }
}
