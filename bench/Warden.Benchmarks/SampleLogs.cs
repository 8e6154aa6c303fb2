using System.Diagnostics;

namespace Warden.Benchmarks;

/// <summary>
/// The benchmark inputs: the first lines of the genlog logs bench/run.sh uses (WARDEN_BENCH_LOGS,
/// default /tmp/warden-bench/logs), generated here with genlog.py when absent: WARDEN_BENCH_GENLOG, else
/// <c>../shared/bench/genlog.py</c> beside the project root (of the main checkout, for a git worktree).
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
        var genlog = Environment.GetEnvironmentVariable("WARDEN_BENCH_GENLOG") ?? GenlogBesideRoot();
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

    private static string GenlogBesideRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Warden.slnx")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new FileNotFoundException($"no Warden.slnx above {AppContext.BaseDirectory} to find genlog.py from; set WARDEN_BENCH_GENLOG");
        }

        var roots = new List<string> { root.FullName };
        var dotGit = Path.Combine(root.FullName, ".git");
        if (File.Exists(dotGit) && File.ReadAllText(dotGit).Trim() is var link && link.StartsWith("gitdir: ", StringComparison.Ordinal))
        {
            // A worktree: .git names its folder in the main checkout's .git/worktrees/, whose commondir leads back.
            var gitDir = Path.GetFullPath(link["gitdir: ".Length..], root.FullName);
            var commonFile = Path.Combine(gitDir, "commondir");
            var common = File.Exists(commonFile) ? Path.GetFullPath(File.ReadAllText(commonFile).Trim(), gitDir) : gitDir;
            roots.Add(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(common))!);
        }

        var candidates = roots.Select(r => Path.GetFullPath(Path.Combine(r, "..", "shared", "bench", "genlog.py"))).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }
}
