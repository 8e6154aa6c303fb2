using System.Text;
using Microsoft.Extensions.Time.Testing;
using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.Tests.Conformance;
using Xunit.Abstractions;

namespace Warden.Fail2Ban.Tests;

/// <summary>
/// Warden's shipped filters against the sample logs written for them (Samples/logs/NAME, same
/// annotation grammar as fail2ban's corpus; times in UTC, "now" 2026-11-23T12:00Z). One test runs
/// every shipped filter; a filter without samples fails it.
/// </summary>
public sealed class ShippedFilterSamplesTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_EveryShippedFilter_MatchesItsExpectations()
    {
        var results = new List<SampleResult>();
        foreach (var name in ShippedFilters.Names)
        {
            var time = new FakeTimeProvider(Now);
            time.SetLocalTimeZone(TimeZoneInfo.Utc);
            var loader = new FilterLoader([], time);
            var runner = new SampleRunner(Path.Combine(AppContext.BaseDirectory, "Samples", "logs"), TimeZoneInfo.Utc, Now,
                (_, options) => loader.Load(options.Count == 0 ? name : $"{name}[{string.Join(", ", options.Select(kv => $"{kv.Key}={kv.Value}"))}]"));
            results.Add(runner.Run(name));
        }

        var report = new StringBuilder();
        foreach (var result in results)
        {
            report.AppendLine($"{result.Filter,-20} {result.Passed,4}/{result.Total}");
            foreach (var failure in result.Failures)
            {
                report.AppendLine(failure);
            }
        }

        output.WriteLine(report.ToString());
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Failures.Count == 0, report.ToString()));
    }
}
