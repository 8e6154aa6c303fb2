using System.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>
/// Runs iptables, ip6tables and ipset with an argument list (never a shell), optionally inside a
/// named network namespace via <c>ip netns exec</c> (tests). Thread-safe.
/// </summary>
internal sealed class CommandRunner(string backend, string? networkNamespace)
{
    /// <summary>Runs the program and returns what it gave back, whatever its exit code.</summary>
    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(networkNamespace is null ? file : "ip")
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
        {
            foreach (var arg in new[] { "netns", "exec", networkNamespace, file })
            {
                psi.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var command = string.Join(' ', new[] { file }.Concat(args));
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new FirewallException(backend, command, "process did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FirewallException(backend, command, $"cannot run {file}: {ex.Message}", -1, ex);
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

            return new CommandResult(command, process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Runs the program and throws a <see cref="FirewallException"/> unless it exits 0.</summary>
    public async Task<CommandResult> RunCheckedAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var result = await RunAsync(file, args, stdin, cancellationToken);
        if (result.ExitCode != 0)
        {
            var sent = stdin is null ? result.Command : $"{result.Command} <<EOF\n{stdin}EOF";
            throw new FirewallException(backend, sent, result.StdErr.Trim().Length > 0 ? result.StdErr.Trim() : result.StdOut.Trim(), result.ExitCode);
        }

        return result;
    }
}
