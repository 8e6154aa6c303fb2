using System.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Actions.Command;

/// <summary>
/// Runs one rendered command with <c>/bin/sh -c</c> (as fail2ban's Utils.executeCmd does with
/// shell=True), the ban values in its environment, a timeout that kills the whole process group,
/// and its output captured for the error. Thread-safe.
/// </summary>
internal static class ShellRunner
{
    private const int MaxOutput = 4096;

    /// <summary>Runs the command; returns its exit code (and output), or throws when it cannot run or times out.</summary>
    /// <exception cref="FirewallException">The shell cannot start, or the command outlived <paramref name="timeout"/>.</exception>
    public static async Task<(int ExitCode, string Output)> RunAsync(string backend, string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new FirewallException(backend, script, $"cannot start /bin/sh: {ex.Message}", -1, ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FirewallException(backend, script, $"timed out after {timeout.TotalSeconds} s and was killed", -1);
        }

        var output = (await stdout) + (await stderr);
        return (process.ExitCode, output.Length > MaxOutput ? output[..MaxOutput] : output);
    }
}
