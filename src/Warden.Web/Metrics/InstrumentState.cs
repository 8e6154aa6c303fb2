using System.Diagnostics.Metrics;

namespace Warden.Web.Metrics;

/// <summary>
/// What one instrument has measured, by label set. Measurements come from any thread; a lock per
/// instrument keeps each series consistent. Observable instruments report whole values at each
/// collection, so their series are cleared before it and hold only what the callbacks said.
/// </summary>
internal sealed class InstrumentState
{
    // Prometheus's default buckets, for a histogram that gives no advice.
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly bool _sums;

    private InstrumentState(Instrument instrument, MetricKind kind, string name, double[] bounds, bool sums = false)
    {
        Instrument = instrument;
        Kind = kind;
        Name = name;
        Bounds = bounds;
        Observable = instrument.IsObservable;
        _sums = sums;
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>The family's name, with <c>_total</c> for a counter.</summary>
    public string Name { get; }

    public double[] Bounds { get; }

    public bool Observable { get; }

    /// <summary>The state of a Warden instrument, or <c>null</c> for a kind Prometheus has no type for.</summary>
    public static InstrumentState? Create(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var baseName = "warden_" + PrometheusText.Name(instrument.Name);
        // A counter or up-down counter adds what it is given; an observable one reports its total.
        if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
        {
            var name = baseName.EndsWith("_total", StringComparison.Ordinal) ? baseName : baseName + "_total";
            return new InstrumentState(instrument, MetricKind.Counter, name, [], sums: definition == typeof(Counter<>));
        }

        if (definition == typeof(Histogram<>))
        {
            var bounds = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray()
                ?? (instrument as Histogram<long>)?.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray()
                ?? DefaultBounds;
            return new InstrumentState(instrument, MetricKind.Histogram, baseName, bounds);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return new InstrumentState(instrument, MetricKind.Gauge, baseName, [], sums: true);
        }

        return definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) || definition == typeof(ObservableUpDownCounter<>)
            ? new InstrumentState(instrument, MetricKind.Gauge, baseName, [])
            : null;
    }

    /// <summary>Records one measurement.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels.Format(tags);
        lock (_lock)
        {
            if (!_series.TryGetValue(labels, out var series))
            {
                series = new Series(Kind == MetricKind.Histogram ? new long[Bounds.Length] : null);
                _series[labels] = series;
            }

            if (Kind == MetricKind.Histogram)
            {
                // Buckets count "less than or equal": an exact bound falls in its own bucket;
                // a value above every bound only in +Inf, which is the count.
                var index = Array.BinarySearch(Bounds, value);
                index = index >= 0 ? index : ~index;
                if (index < Bounds.Length)
                {
                    series.Buckets![index]++;
                }

                series.Count++;
                series.Value += value;
            }
            else
            {
                series.Value = _sums ? series.Value + value : value;
            }
        }
    }

    /// <summary>Drops the series of an observable instrument before its callbacks run again.</summary>
    public void BeginObservation()
    {
        lock (_lock)
        {
            _series.Clear();
        }
    }

    /// <summary>A copy of every series, for writing outside the lock.</summary>
    public List<(string Labels, double Value, long Count, long[]? Buckets)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _series.Select(s => (s.Key, s.Value.Value, s.Value.Count, s.Value.Buckets?.ToArray()))];
        }
    }

    private sealed class Series(long[]? buckets)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        public long[]? Buckets { get; } = buckets;
    }
}
