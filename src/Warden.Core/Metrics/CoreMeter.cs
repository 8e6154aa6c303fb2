using System.Diagnostics.Metrics;

namespace Warden.Core.Metrics;

/// <summary>
/// The meter of the engine (System.Diagnostics.Metrics, no package). Its instruments are defined
/// in the types that count: a jail's <see cref="Jails.JailStats"/>, a source's
/// <see cref="SourceStats"/>, the firewall and store sync; the exporter in Warden.Web turns every
/// meter named <c>Warden.*</c> into Prometheus text. Labels name configuration (a jail, a source,
/// a backend), never an address or line text. Instruments are thread-safe; with no listener a
/// measurement costs a branch.
/// </summary>
public static class CoreMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "Warden.Core";

    /// <summary>Bucket bounds in seconds for the duration histograms: 1 ms to 10 s.</summary>
    internal static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    internal static readonly Meter Meter = new(Name);

    /// <summary>A histogram of durations in seconds with <see cref="SecondsBuckets"/>.</summary>
    internal static Histogram<double> SecondsHistogram(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
}
