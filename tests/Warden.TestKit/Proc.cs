using System.Diagnostics;

namespace Warden.TestKit;

/// <summary>Runs commands for tests: arguments are passed as a list, never through a shell.</summary>
public static class Proc
{
    /// <summary>Runs a program to completion (or kills it after <paramref name="timeout"/>).</summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null, IDictionary<string, string>? env = null)
    {
        var psi = Start(file, args, env);
        psi.RedirectStandardInput = stdin is not null;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Describe(file, args)}' did not finish within {timeout}");
        }

        return new ProcessResult(Describe(file, args), process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a program and throws unless it exits 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string file, params string[] args) =>
        (await RunAsync(file, args)).EnsureSuccess();

    /// <summary>Start info with redirected output and the given arguments.</summary>
    public static ProcessStartInfo Start(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        return psi;
    }

    /// <summary>Kills a test's long-running process with its children (if it still runs), waits up to 5 s, and disposes it.</summary>
    public static void KillAndDispose(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }

        process.Dispose();
    }

    /// <summary>True when a program is on PATH.</summary>
    public static bool Exists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Concat(["/usr/sbin", "/sbin"])
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static string Describe(string file, IEnumerable<string> args) => string.Join(' ', new[] { file }.Concat(args));
}
