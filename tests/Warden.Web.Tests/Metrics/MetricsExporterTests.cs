using System.Diagnostics.Metrics;
using Warden.TestKit;
using Warden.Web.Metrics;

namespace Warden.Web.Tests.Metrics;

/// <summary>
/// The exporter's text, read back by a strict parser of format 0.0.4 after exercising
/// instruments of a meter of the test's own (so tests running beside it do not mix in).
/// </summary>
public sealed class MetricsExporterTests : IDisposable
{
    private readonly Meter _meter = new($"Test.{Guid.NewGuid():N}");
    private readonly MetricsExporter _exporter;

    public MetricsExporterTests()
    {
        var name = _meter.Name;
        _exporter = new MetricsExporter(m => m.Name == name);
    }

    [Fact]
    public void Collect_CounterWithLabels_WritesTotalPerLabelSetWithHelpAndType()
    {
        var bans = _meter.CreateCounter<long>("bans", "{ban}", "Bans put in force");
        bans.Add(2, new("jail", "sshd"), new("origin", "log"));
        bans.Add(3, new("origin", "log"), new("jail", "sshd"));
        bans.Add(1, new("jail", "postfix"), new("origin", "manual"));

        var text = Exposition.Parse(_exporter.Collect());

        Assert.Equal("counter", text.Types["warden_bans_total"]);
        Assert.Equal("Bans put in force", text.Help["warden_bans_total"]);
        Assert.Equal(5, text.Value("warden_bans_total", "jail=sshd", "origin=log"));
        Assert.Equal(1, text.Value("warden_bans_total", "jail=postfix", "origin=manual"));
        Assert.Equal(2, text.Samples.Count);
    }

    [Fact]
    public void Collect_Histogram_WritesCumulativeBucketsSumAndCount()
    {
        var latency = _meter.CreateHistogram("latency_seconds", "s", "Latency", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] });
        foreach (var value in new[] { 0.005, 0.01, 0.05, 0.5, 3.0 })
        {
            latency.Record(value, new KeyValuePair<string, object?>("jail", "sshd"));
        }

        var text = Exposition.Parse(_exporter.Collect());

        Assert.Equal("histogram", text.Types["warden_latency_seconds"]);
        // "le" is less than or equal: 0.01 itself is in the first bucket.
        Assert.Equal(2, text.Value("warden_latency_seconds_bucket", "jail=sshd", "le=0.01"));
        Assert.Equal(3, text.Value("warden_latency_seconds_bucket", "jail=sshd", "le=0.1"));
        Assert.Equal(4, text.Value("warden_latency_seconds_bucket", "jail=sshd", "le=1"));
        Assert.Equal(5, text.Value("warden_latency_seconds_bucket", "jail=sshd", "le=+Inf"));
        Assert.Equal(5, text.Value("warden_latency_seconds_count", "jail=sshd"));
        Assert.Equal(3.565, text.Value("warden_latency_seconds_sum", "jail=sshd"), 9);
    }

    [Fact]
    public void Collect_LabelValueWithQuoteBackslashAndNewline_IsEscapedAndReadsBack()
    {
        const string Hostile = "a\"b\\c\nd} e=\"f\"";
        var lines = _meter.CreateCounter<long>("lines");
        lines.Add(7, new KeyValuePair<string, object?>("source", Hostile));

        var raw = _exporter.Collect();
        var text = Exposition.Parse(raw);

        var sample = Assert.Single(text.Samples);
        Assert.Equal(Hostile, sample.Labels["source"]);
        Assert.Equal(7, sample.Value);
        Assert.Contains(@"source=""a\""b\\c\nd} e=\""f\""""", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_HelpWithNewlineAndBackslash_IsEscaped()
    {
        _meter.CreateCounter<long>("odd", description: "one\\two\nthree").Add(1);

        var raw = _exporter.Collect();

        Assert.Contains("# HELP warden_odd_total one\\\\two\\nthree\n", raw, StringComparison.Ordinal);
        Assert.Equal("one\\two\nthree", Exposition.Parse(raw).Help["warden_odd_total"]);
    }

    [Fact]
    public void Collect_ObservableGauge_ReportsTheCallbackEachTimeAndLeavesWithItsMeter()
    {
        var inForce = 3;
        using var generation = new Meter(_meter.Name);
        generation.CreateObservableGauge("bans_in_force", () => new Measurement<int>(inForce, new KeyValuePair<string, object?>("jail", "sshd")));

        Assert.Equal(3, Exposition.Parse(_exporter.Collect()).Value("warden_bans_in_force", "jail=sshd"));
        inForce = 1;
        var text = Exposition.Parse(_exporter.Collect());
        Assert.Equal("gauge", text.Types["warden_bans_in_force"]);
        Assert.Equal(1, text.Value("warden_bans_in_force", "jail=sshd"));

        generation.Dispose();
        Assert.Empty(Exposition.Parse(_exporter.Collect()).Samples);
    }

    [Fact]
    public void Collect_SameCounterOnTwoMeters_IsOneFamilySummed()
    {
        using var second = new Meter(_meter.Name);
        _meter.CreateCounter<long>("errors").Add(2);
        second.CreateCounter<long>("errors").Add(5);

        var text = Exposition.Parse(_exporter.Collect());

        Assert.Equal(7, text.Value("warden_errors_total"));
    }

    [Fact]
    public void Collect_FractionsAndLargeValues_ReadBackExactly()
    {
        var gauge = _meter.CreateUpDownCounter<double>("level");
        gauge.Add(1764752400.125);
        gauge.Add(0.25);

        Assert.Equal(1764752400.375, Exposition.Parse(_exporter.Collect()).Value("warden_level"));
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }
}
