using Warden.Core.Ports;
using Warden.Linux.Processes;

namespace Warden.Firewall.Pf;

/// <summary>The real pfctl: a process per call, arguments as a list (never a shell).</summary>
internal sealed class PfctlProcess(string path) : IPfctl
{
    public async Task<PfctlResult> RunAsync(IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProgramRunner.RunAsync(path, args, stdin, cancellationToken);
            return new PfctlResult(result.ExitCode, result.StdOut, result.StdErr);
        }
        catch (ProgramStartException ex)
        {
            throw new FirewallException("pf", path, $"cannot run {path}: {ex.Reason}", -1, ex);
        }
    }
}
