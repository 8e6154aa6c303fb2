using System.Diagnostics.Metrics;
using System.Text;

namespace Warden.Web.Metrics;

/// <summary>
/// Listens to every Warden meter (System.Diagnostics.Metrics, meters named <c>Warden.*</c>) and
/// writes what they measured as Prometheus text exposition format 0.0.4: one family per
/// instrument name, <c>warden_</c> prefixed, counters suffixed <c>_total</c>, histograms as
/// cumulative <c>_bucket{le=...}</c>, <c>_sum</c> and <c>_count</c>. Hand-written over the
/// listener's callbacks, no reflection: Native AOT clean.
/// </summary>
/// <remarks>
/// Thread-safe: measurements arrive from any thread, <see cref="Collect"/> may be called
/// concurrently (collections run one at a time). Counters count from the moment the exporter
/// starts, so the daemon makes it before its engine. Instruments of the same name on several
/// meters (one per engine generation) are one family; a disposed meter's series leave it.
/// </remarks>
public sealed class MetricsExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _instrumentsLock = new();
    private readonly Lock _collectLock = new();
    private readonly List<InstrumentState> _instruments = [];

    /// <summary>Starts listening to every meter named <c>Warden</c> or <c>Warden.*</c>.</summary>
    public MetricsExporter()
        : this(static meter => meter.Name == "Warden" || meter.Name.StartsWith("Warden.", StringComparison.Ordinal))
    {
    }

    /// <summary>Starts listening to the meters <paramref name="include"/> accepts (tests use their own).</summary>
    /// <param name="include">Which meters to export.</param>
    internal MetricsExporter(Func<Meter, bool> include)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!include(instrument.Meter) || InstrumentState.Create(instrument) is not { } state)
            {
                return;
            }

            lock (_instrumentsLock)
            {
                _instruments.Add(state);
            }

            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.MeasurementsCompleted = (_, state) =>
        {
            lock (_instrumentsLock)
            {
                _instruments.Remove((InstrumentState)state!);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Runs the observable instruments' callbacks and writes every family, sorted by name.</summary>
    /// <returns>The exposition text, ending in a newline (empty when nothing was measured).</returns>
    public string Collect()
    {
        lock (_collectLock)
        {
            List<InstrumentState> instruments;
            lock (_instrumentsLock)
            {
                instruments = [.. _instruments];
            }

            foreach (var state in instruments.Where(s => s.Observable))
            {
                state.BeginObservation();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var family in instruments.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                WriteFamily(text, family.Key, [.. family]);
            }

            return text.ToString();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static void WriteFamily(StringBuilder text, string name, List<InstrumentState> states)
    {
        // Instruments of one name but another kind (a naming clash) cannot share the family.
        var first = states[0];
        var merged = new SortedDictionary<string, (double Value, long Count, long[]? Buckets)>(StringComparer.Ordinal);
        foreach (var state in states.Where(s => s.Kind == first.Kind && s.Bounds.SequenceEqual(first.Bounds)))
        {
            foreach (var (labels, value, count, buckets) in state.Snapshot())
            {
                merged[labels] = merged.TryGetValue(labels, out var had) && first.Kind != MetricKind.Gauge
                    ? (had.Value + value, had.Count + count, Add(had.Buckets, buckets))
                    : (value, count, buckets);
            }
        }

        if (merged.Count == 0)
        {
            return;
        }

        if (first.Instrument.Description is { Length: > 0 } help)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(PrometheusText.Help(help)).Append('\n');
        }

        text.Append("# TYPE ").Append(name).Append(' ').Append(first.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        }).Append('\n');
        foreach (var (labels, (value, count, buckets)) in merged)
        {
            if (first.Kind == MetricKind.Histogram)
            {
                long cumulative = 0;
                for (var i = 0; i < first.Bounds.Length; i++)
                {
                    cumulative += buckets![i];
                    Sample(text, name + "_bucket", Labels.With(labels, "le", PrometheusText.Number(first.Bounds[i])), cumulative);
                }

                Sample(text, name + "_bucket", Labels.With(labels, "le", "+Inf"), count);
                Sample(text, name + "_sum", labels, value);
                Sample(text, name + "_count", labels, count);
            }
            else
            {
                Sample(text, name, labels, value);
            }
        }
    }

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(PrometheusText.Number(value)).Append('\n');
    }

    private static long[]? Add(long[]? a, long[]? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        var sum = new long[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
        }

        return sum;
    }
}
