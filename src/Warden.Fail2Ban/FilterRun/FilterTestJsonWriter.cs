using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Warden.Fail2Ban.FilterRun;

/// <summary>
/// Writes <c>warden test --json</c>: one JSON object whose <c>failures</c> array is streamed as
/// failures are found (bounded memory on any log), followed by the counts once the log is read:
/// <c>{"failures":[{"line":N,"id":"...","time":"ISO 8601"}...],"lines":N,"matched":N,"ignored":N,
/// "missed":N,"regexes":[...],"top":[...],...}</c>. Times are written in the given zone
/// with their offset. Not thread-safe; dispose to flush.
/// </summary>
public sealed class FilterTestJsonWriter : IDisposable
{
    private readonly Utf8JsonWriter _writer;
    private readonly TimeZoneInfo _zone;
    private bool _completed;

    /// <summary>Starts the object on <paramref name="output"/> (left open on dispose).</summary>
    public FilterTestJsonWriter(Stream output, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(output);
        _zone = zone ?? throw new ArgumentNullException(nameof(zone));
        // Relaxed escaping keeps '+' in offsets readable; control characters are still escaped.
        _writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _writer.WriteStartObject();
        _writer.WriteStartArray("failures");
    }

    /// <summary>Appends one failure.</summary>
    public void WriteFailure(FilterTestFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var time = TimeZoneInfo.ConvertTime(failure.Time, _zone).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture);
        JsonSerializer.Serialize(_writer, new FailureJson(failure.Line, failure.Id, time), FilterTestJsonContext.Default.FailureJson);
        if (_writer.BytesPending > 64 * 1024)
        {
            _writer.Flush();
        }
    }

    /// <summary>Closes the failures and writes the counts.</summary>
    public void Complete(FilterTestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _writer.WriteEndArray();
        _writer.WriteNumber("lines", report.Lines);
        _writer.WriteNumber("matched", report.Matched);
        _writer.WriteNumber("ignored", report.Ignored);
        _writer.WriteNumber("missed", report.Missed);
        _writer.WriteNumber("failureCount", report.Failures);
        _writer.WritePropertyName("regexes");
        JsonSerializer.Serialize(_writer, report.RegexHits.Select(h => new RegexHitsJson(h.Regex, h.Hits)).ToArray(), FilterTestJsonContext.Default.RegexHitsJsonArray);
        _writer.WritePropertyName("ignoreregexes");
        JsonSerializer.Serialize(_writer, report.IgnoreRegexes.ToArray(), FilterTestJsonContext.Default.StringArray);
        _writer.WritePropertyName("top");
        JsonSerializer.Serialize(_writer, report.TopIds.Select(t => new IdCountJson(t.Id, t.Count)).ToArray(), FilterTestJsonContext.Default.IdCountJsonArray);
        _writer.WriteNumber("distinctIds", report.DistinctIds);
        _writer.WriteNumber("regexLimitHits", report.RegexLimitHits);
        _writer.WriteNumber("seconds", Math.Round(report.Elapsed.TotalSeconds, 3));
        _writer.WriteEndObject();
        _writer.Flush();
        _completed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_completed)
        {
            _writer.Flush();
        }

        _writer.Dispose();
    }
}
