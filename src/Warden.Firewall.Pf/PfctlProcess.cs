using System.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Pf;

/// <summary>The real pfctl: a process per call, arguments as a list (never a shell).</summary>
internal sealed class PfctlProcess(string path) : IPfctl
{
    public async Task<PfctlResult> RunAsync(IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(path)
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
            process = Process.Start(psi) ?? throw new FirewallException("pf", path, "pfctl did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FirewallException("pf", path, $"cannot run {path}: {ex.Message}", -1, ex);
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

            return new PfctlResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
