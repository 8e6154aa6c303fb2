using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Warden.Sources.Journal;

/// <summary>
/// One entry of <c>journalctl -o json</c>, rendered as fail2ban renders journal entries for its
/// filters (server/filtersystemd.py, formatJournalEntry): <c>TIME HOST IDENT[PID]: MESSAGE</c>,
/// TIME the entry's local time in ISO format with its offset, kernel entries with their monotonic time in
/// brackets, newlines in the message written as <c>\n</c>.
/// </summary>
internal sealed class JournalEntry
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);

    private JournalEntry()
    {
    }

    /// <summary>The entry's cursor.</summary>
    public string? Cursor => Field("__CURSOR");

    /// <summary>Parses one JSON object; <c>null</c> when it is not one.</summary>
    public static JournalEntry? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var entry = new JournalEntry();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Value(property.Value) is { } value)
                {
                    entry._fields[property.Name] = value;
                }
            }

            return entry;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The line a filter sees.</summary>
    public string Render(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var parts = new List<string>(4);
        if (Field("_HOSTNAME") is { Length: > 0 } host)
        {
            parts.Add(host);
        }

        if ((Field("SYSLOG_IDENTIFIER") is { Length: > 0 } ident ? ident : Field("_COMM")) is { Length: > 0 } name)
        {
            var pid = Field("SYSLOG_PID") is { Length: > 0 } syslogPid ? syslogPid : Field("_PID");
            var tag = name + (pid is { Length: > 0 } ? $"[{Pid(pid)}]" : string.Empty) + ":";
            parts.Add(tag);
            if (tag == "kernel:")
            {
                var micros = Micros(Field("_SOURCE_MONOTONIC_TIMESTAMP")) ?? Micros(Field("__MONOTONIC_TIMESTAMP")) ?? 0;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"[{micros / 1e6,12:F6}]"));
            }
        }

        parts.Add(Field("MESSAGE") ?? string.Empty);
        return Time(zone) + " " + string.Join(' ', parts).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private string Time(TimeZoneInfo zone)
    {
        var micros = Micros(Field("_SOURCE_REALTIME_TIMESTAMP")) ?? Micros(Field("__REALTIME_TIMESTAMP")) ?? 0;
        var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.UnixEpoch.AddTicks(micros * 10)), zone);

        // Python's datetime.isoformat() of python-systemd's zone-aware time: microseconds only
        // when there are any, then the offset. (python-systemd uses the offset in force at start;
        // Warden uses the one in force at the entry's time, which names the same instant.)
        var format = local.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.ffffffzzz";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    private string? Field(string name) => _fields.GetValueOrDefault(name);

    // fail2ban prints a numeric pid as an integer ("[%i]", so "0042" becomes 42) and anything
    // else as it is.
    private static string Pid(string pid) =>
        long.TryParse(pid, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : pid;

    private static long? Micros(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    // journalctl -o json writes a field as a string, as an array of byte values when it is not
    // valid UTF-8 text, and as an array of those when the entry has the field more than once
    // (fail2ban joins repeated MESSAGE values with spaces).
    private static string? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Array when value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.Number => Bytes(value),
        JsonValueKind.Array => string.Join(' ', value.EnumerateArray().Select(Value).OfType<string>()),
        _ => null,
    };

    private static string Bytes(JsonElement array)
    {
        var bytes = new byte[array.GetArrayLength()];
        var i = 0;
        foreach (var b in array.EnumerateArray())
        {
            // A byte array from journalctl holds numbers only; anything else in one is shown as '?'.
            bytes[i++] = b.ValueKind == JsonValueKind.Number && b.TryGetByte(out var v) ? v : (byte)'?';
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
