using System.Diagnostics.Metrics;

namespace Warden.Web.Dashboard;

/// <summary>
/// Failures per jail over the last 7 days in 10-minute buckets, for the dashboard's charts: it
/// listens to the engine's own counter (the instrument /metrics exports), so it costs one array
/// add per measurement. Since the process started: failures are not kept in the state (bans are,
/// and the dashboard takes theirs from the history).
/// Thread-safe.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    /// <summary>The width of a bucket.</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(10);

    private const int Buckets = 7 * 24 * 6;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, Series> _jails = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    /// <summary>Starts listening to the engine's meter (<paramref name="meterName"/>).</summary>
    /// <param name="meterName">The Core meter's name.</param>
    /// <param name="time">The clock buckets are taken from.</param>
    public ActivityRecorder(string meterName, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && instrument.Name == "failures")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            string? jail = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "jail")
                {
                    jail = tag.Value as string;
                }
            }

            if (jail is not null)
            {
                Add(jail, value);
            }
        });
        _listener.Start();
    }

    /// <summary>Since when it counts.</summary>
    public DateTimeOffset Since { get; } = DateTimeOffset.UtcNow;

    /// <summary>Failures per jail in buckets of <paramref name="width"/> (a multiple of <see cref="Bucket"/>), <paramref name="count"/> of them, the last ending at the current bucket.</summary>
    /// <param name="width">The bucket width of the series.</param>
    /// <param name="count">How many buckets.</param>
    public IReadOnlyDictionary<string, long[]> Failures(TimeSpan width, int count)
    {
        var per = Math.Max(1, (int)(width / Bucket));
        var now = Index(_time.GetUtcNow());
        lock (_gate)
        {
            return _jails.ToDictionary(j => j.Key, j =>
            {
                var result = new long[count];
                for (var i = 0; i < count * per && i < Buckets; i++)
                {
                    var index = now - i;
                    var slot = (int)(index % Buckets);
                    if (j.Value.Stamps[slot] == index)
                    {
                        result[count - 1 - (i / per)] += j.Value.Failures[slot];
                    }
                }

                return result;
            }, StringComparer.Ordinal);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static long Index(DateTimeOffset time) => time.ToUnixTimeSeconds() / (long)Bucket.TotalSeconds;

    private void Add(string jail, long value)
    {
        var index = Index(_time.GetUtcNow());
        var slot = (int)(index % Buckets);
        lock (_gate)
        {
            if (!_jails.TryGetValue(jail, out var series))
            {
                series = new Series();
                _jails[jail] = series;
            }

            if (series.Stamps[slot] != index)
            {
                series.Stamps[slot] = index;
                series.Failures[slot] = 0;
            }

            series.Failures[slot] += value;
        }
    }

    private sealed class Series
    {
        public long[] Stamps { get; } = new long[Buckets];

        public long[] Failures { get; } = new long[Buckets];
    }
}
