using System.Text;
using Microsoft.Extensions.Time.Testing;
using Warden.Fail2Ban.Filters;
using Xunit.Abstractions;

namespace Warden.Fail2Ban.Tests.Conformance;

/// <summary>
/// Every sample of fail2ban's own corpus against the stock filters of Debian's fail2ban package,
/// as fail2ban's tests/samplestestcase.py runs them (its time zone and frozen "now"). Reads the
/// installed files at test time; nothing of fail2ban is part of Warden.
/// </summary>
public sealed class Fail2BanConformanceTests(ITestOutputHelper output)
{
    private const string Fail2BanRoot = "/etc/fail2ban";
    private const string TestsRoot = "/usr/lib/python3/dist-packages/fail2ban/tests";

    [Fact]
    public void Samples_EveryStockFilter_MatchAsInFail2Ban()
    {
        Assert.True(Directory.Exists(Path.Combine(Fail2BanRoot, "filter.d")), "Debian's fail2ban package is needed (apt-get install fail2ban)");
        var results = new List<SampleResult>();
        foreach (var (root, name) in Filters())
        {
            results.Add(RunFilter(root, name));
        }

        var report = new StringBuilder();
        foreach (var result in results)
        {
            report.AppendLine($"{result.Filter,-28} {result.Passed,5}/{result.Total,-5}{(result.Failures.Count == 0 ? string.Empty : "  FAILED")}");
        }

        report.AppendLine($"{"TOTAL",-28} {results.Sum(r => r.Passed),5}/{results.Sum(r => r.Total)}; filters fully passing: {results.Count(r => r.Failures.Count == 0)}/{results.Count}");
        foreach (var failure in results.SelectMany(r => r.Failures).Take(300))
        {
            report.AppendLine(failure);
        }

        output.WriteLine(report.ToString());
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "warden-conformance.txt"), report.ToString());
        Assert.All(results, r => Assert.True(r.Failures.Count == 0, $"{r.Filter}: {r.Failures.Count} failures, first: {(r.Failures.Count > 0 ? r.Failures[0] : "")}"));
    }

    internal static IEnumerable<(string Root, string Name)> Filters()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Fail2BanRoot, "filter.d"), "*.conf").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!file.EndsWith("common.conf", StringComparison.Ordinal) && !name.StartsWith('.'))
            {
                yield return (Fail2BanRoot, name);
            }
        }

        // fail2ban's own test filters (multi-line cases) include common.conf by a path into
        // fail2ban's source tree, which Debian does not install; they run from a temporary copy
        // whose include names common.conf of /etc/fail2ban instead.
        var testFilters = Path.Combine(TestsRoot, "config", "filter.d");
        if (Directory.Exists(testFilters))
        {
            var copy = Path.Combine(Path.GetTempPath(), "warden-f2b-test-filters");
            Directory.CreateDirectory(Path.Combine(copy, "filter.d"));
            File.Copy(Path.Combine(Fail2BanRoot, "filter.d", "common.conf"), Path.Combine(copy, "filter.d", "common.conf"), overwrite: true);
            foreach (var file in Directory.GetFiles(testFilters, "zzz-*.conf").Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^before = \S*common\.conf$", "before = common.conf");
                File.WriteAllText(Path.Combine(copy, "filter.d", Path.GetFileName(file)), text);
                yield return (copy, Path.GetFileNameWithoutExtension(file));
            }
        }
    }

    internal static SampleResult RunFilter(string root, string name)
    {
        var time = new FakeTimeProvider(TestZone.Now);
        time.SetLocalTimeZone(TestZone.Cet);
        var loader = new FilterLoader([root], time, includeShipped: false);
        var runner = new SampleRunner(Path.Combine(TestsRoot, "files", "logs"), TestZone.Cet, TestZone.Now, (_, options) => loader.Load(Reference(name, options)));
        try
        {
            return runner.Run(name);
        }
        catch (ConfigException ex)
        {
            var failed = new SampleResult(name);
            failed.Fail(0, $"{name}: filter failed to load: {ex.Message}");
            return failed;
        }
    }

    private static string Reference(string name, IReadOnlyDictionary<string, string> options) =>
        options.Count == 0 ? name : $"{name}[{string.Join(", ", options.Select(kv => $"{kv.Key}=\"{kv.Value}\""))}]";
}
