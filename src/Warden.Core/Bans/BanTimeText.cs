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

    /// <summary>A duration as jail.conf writes one: <c>10m</c>, <c>1h30m</c>, <c>1d</c>, <c>45s</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new System.Text.StringBuilder();
        void Part(int value, char unit)
        {
            if (value > 0)
            {
                text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(span.Days, 'd');
        Part(span.Hours, 'h');
        Part(span.Minutes, 'm');
        Part(span.Seconds, 's');
        return text.Length == 0 ? "0s" : text.ToString();
    }
}
