using System.Globalization;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// fail2ban's time expressions (server/mytime.py <c>str2seconds</c>): a sum of terms like
/// <c>1h 30m</c>, <c>1d12h</c>, <c>1year-6mo</c>, <c>600</c>; units s/sec/second(s), m/min/minute(s),
/// h/hour(s), d/day(s), w/week(s), mo/mon/month(s) (a year / 12), y/year(s) (365.25 days).
/// A negative total means "forever" for bantime.
/// </summary>
public static class Duration
{
    private const double Year = (365 * 3 + 366) * 24 * 60 * 60 / 4.0;

    /// <summary>The longest time taken, a century: beyond it a value is a typo (and overflows a TimeSpan).</summary>
    public const double MaxSeconds = Warden.Core.Policy.BanDecisions.LongestSeconds;

    /// <summary>Parses an expression into seconds; false with a reason when it is not one.</summary>
    public static bool TryParseSeconds(string text, out double seconds, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        seconds = 0;
        error = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty time value";
            return false;
        }

        var i = 0;
        var sign = 1.0;
        var sawTerm = false;
        while (i < s.Length)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                sign = s[i] == '-' ? -1 : 1;
                i++;
                continue;
            }

            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{Quote.Clip(text, 63)}' is not a time (use e.g. 600, 10m, 1h30m, 1d, -1)";
                return false;
            }

            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var unit = s[unitStart..i].ToLowerInvariant();
            if (!TryUnit(unit, out var factor))
            {
                error = $"unknown time unit '{Quote.Clip(unit, 63)}' in '{Quote.Clip(text, 63)}'";
                return false;
            }

            seconds += sign * number * factor;
            sign = 1;
            sawTerm = true;
        }

        if (!sawTerm)
        {
            error = $"'{Quote.Clip(text, 63)}' is not a time";
            return false;
        }

        if (double.IsNaN(seconds) || Math.Abs(seconds) > MaxSeconds)
        {
            error = $"'{Quote.Clip(text, 63)}' is longer than 100 years, the longest time Warden takes (a ban that never ends is -1)";
            return false;
        }

        return true;
    }

    /// <summary>Parses a duration that must not be negative (findtime).</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string? error)
    {
        duration = default;
        if (!TryParseSeconds(text, out var seconds, out error))
        {
            return false;
        }

        if (seconds < 0)
        {
            error = $"'{Quote.Clip(text, 63)}' is negative";
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Parses a bantime: a negative value means permanent (<c>null</c>).</summary>
    public static bool TryParseBanTime(string text, out TimeSpan? duration, out string? error)
    {
        duration = null;
        if (!TryParseSeconds(text, out var seconds, out error))
        {
            return false;
        }

        duration = seconds < 0 ? null : TimeSpan.FromSeconds(seconds);
        return true;
    }

    // A bad value is quoted in the error, but never a whole 10 MB line.

    private static bool TryUnit(string unit, out double factor)
    {
        factor = unit switch
        {
            "" or "s" or "ss" or "sec" or "second" or "seconds" => 1,
            "m" or "mm" or "mi" or "min" or "minute" or "minutes" => 60,
            "h" or "hh" or "ho" or "hou" or "hour" or "hours" => 3600,
            "d" or "dd" or "da" or "day" or "days" => 86400,
            "w" or "ww" or "we" or "wee" or "week" or "weeks" => 7 * 86400,
            "mo" or "mon" or "month" or "months" => Year / 12,
            "y" or "yy" or "ye" or "yea" or "year" or "years" => Year,
            _ => double.NaN,
        };
        return !double.IsNaN(factor);
    }
}
