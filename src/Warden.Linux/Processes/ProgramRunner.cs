using System.ComponentModel;
using System.Diagnostics;

namespace Warden.Linux.Processes;

/// <summary>
/// Runs a program to its end with an argument list (never a shell) and optional standard input,
/// collecting what it writes: the one runner of the adapters that drive a firewall through its
/// command-line tools (iptables, ip6tables and ipset; FreeBSD's pfctl, which needs nothing
/// Linux-only from here). Thread-safe; cancelling kills the program and its children, then throws.
/// </summary>
public static class ProgramRunner
{
    /// <summary>Runs <paramref name="file"/> and returns what it gave back, whatever its exit code.</summary>
    /// <param name="file">The program: a path, or a name looked up on PATH.</param>
    /// <param name="args">Its arguments, each passed as it is.</param>
    /// <param name="stdin">Written to its standard input, which is then closed; <c>null</c> for none.</param>
    /// <param name="cancellationToken">Kills the program when cancelled.</param>
    /// <exception cref="ProgramStartException">The program could not be started (missing, not executable).</exception>
    public static async Task<ProgramResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new ProgramStartException(file, "the process did not start");
        }
        catch (Win32Exception ex)
        {
            throw new ProgramStartException(file, ex.Message, ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
                process.StandardInput.Close();
            }

            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new ProgramResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
