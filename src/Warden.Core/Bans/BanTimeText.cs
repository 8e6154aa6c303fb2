using System.Globalization;

namespace Warden.Core.Bans;

/// <summary>
/// How a ban's times are written wherever a person or a filter reads them (the engine's ban event,
/// <c>warden ban</c>, <c>warden status --bans</c>): ISO 8601 in UTC to the second
/// (<c>2026-12-01T22:13:06Z</c>), the same on every machine whatever its culture.
/// </summary>
public static class BanTimeText
{
    /// <summary>The time in UTC as <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An expiry: its time, or <c>forever</c> for a permanent ban.</summary>
    public static string Expiry(DateTimeOffset? expires) => expires is { } time ? Format(time) : "forever";

    /// <summary>A duration as jail.conf writes one, in its largest whole unit: <c>10m</c>, <c>2h</c>, <c>1w</c>, <c>45s</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Round(span.TotalSeconds);
        foreach (var (unit, size) in new[] { ("w", 604_800L), ("d", 86_400L), ("h", 3_600L), ("m", 60L) })
        {
            if (seconds >= size && seconds % size == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{seconds / size}{unit}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }
}
