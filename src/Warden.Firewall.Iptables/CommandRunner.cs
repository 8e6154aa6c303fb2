using Warden.Core.Ports;
using Warden.Linux.Processes;

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
        var command = string.Join(' ', new[] { file }.Concat(args));
        try
        {
            var result = networkNamespace is null
                ? await ProgramRunner.RunAsync(file, args, stdin, cancellationToken)
                : await ProgramRunner.RunAsync("ip", ["netns", "exec", networkNamespace, file, .. args], stdin, cancellationToken);
            return new CommandResult(command, result.ExitCode, result.StdOut, result.StdErr);
        }
        catch (ProgramStartException ex)
        {
            throw new FirewallException(backend, command, $"cannot run {file}: {ex.Reason}", -1, ex);
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
