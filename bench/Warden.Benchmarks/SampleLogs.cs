using System.Diagnostics;

namespace Warden.Benchmarks;

/// <summary>
/// The benchmark inputs: the first lines of the genlog logs bench/run.sh uses (WARDEN_BENCH_LOGS,
/// default /tmp/warden-bench/logs), generated here with genlog.py (WARDEN_BENCH_GENLOG) when absent.
/// </summary>
internal static class SampleLogs
{
    public const int Lines = 20_000;

    private static readonly Dictionary<string, string[]> Args = new(StringComparer.Ordinal)
    {
        ["auth.log"] = ["--kind", "sshd", "--format", "syslog"],
        ["auth-iso.log"] = ["--kind", "sshd", "--format", "iso"],
        ["access.log"] = ["--kind", "nginx"],
        ["mail.log"] = ["--kind", "mail", "--format", "syslog"],
    };

    public static string[] Read(string name)
    {
        var dir = Environment.GetEnvironmentVariable("WARDEN_BENCH_LOGS") ?? "/tmp/warden-bench/logs";
        var path = Path.Combine(dir, name);
        if (!File.Exists(path))
        {
            path = Generate(name);
        }

        return [.. File.ReadLines(path).Take(Lines)];
    }

    private static string Generate(string name)
    {
        var genlog = Environment.GetEnvironmentVariable("WARDEN_BENCH_GENLOG") ?? "/work/shared/bench/genlog.py";
        if (!File.Exists(genlog))
        {
            throw new FileNotFoundException($"{name} is not in WARDEN_BENCH_LOGS and genlog.py is not at {genlog}; set WARDEN_BENCH_GENLOG", genlog);
        }

        var dir = Path.Combine(Path.GetTempPath(), "warden-benchmarks-logs");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        if (!File.Exists(path))
        {
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
            foreach (var arg in new[] { genlog }.Concat(Args[name]).Concat(["--lines", "100000", "--out", path]))
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"genlog.py failed with exit code {process.ExitCode}");
            }
        }

        return path;
    }
}
