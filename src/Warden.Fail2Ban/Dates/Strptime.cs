using System.Globalization;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Turns the named groups of a date match into seconds since the epoch, as fail2ban's
/// <c>reGroupDictStrptime</c> (server/strptime.py) does: fields y Y m b B d H I p M S z Z (and
/// j, U, W, a, A, w for day-of-year dates); sub-seconds are dropped; a missing year is this year,
/// or last year when that puts the date more than a day in the future; a missing day is today, or
/// yesterday when the time is still to come; a date without zone is local time unless the jail's
/// logtimezone says otherwise. Pure apart from reading the clock.
/// </summary>
internal static class Strptime
{
    private static readonly string[] MonthAbbreviations = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] MonthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    private static readonly string[] DayAbbreviations = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly string[] DayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>Converts; <c>null</c> when the fields do not form a valid date (Python raised ValueError).</summary>
    /// <param name="match">The template's match.</param>
    /// <param name="fields">The (group number, strptime field) pairs of the template, in pattern order.</param>
    /// <param name="ampmGroup">The number of the %p group, or -1.</param>
    /// <param name="context">Clock and zones.</param>
    public static double? ToUnix(RegexMatch match, IReadOnlyList<(int Group, string Field)> fields, int ampmGroup, DateContext context)
    {
        int? year = null, month = null, day = null, tzOffset = null, weekday = null, julian = null, weekOfYear = null;
        int hour = 0, minute = 0, second = 0;
        var weekStartsSunday = false;
        foreach (var (number, field) in fields)
        {
            var group = match.Group(number);
            if (!group.Success)
            {
                continue;
            }

            var value = group.Value;
            switch (field)
            {
                case "y":
                    year = Int(value);
                    if (year <= 2000)
                    {
                        year += 2000;
                    }

                    break;
                case "Y":
                    year = Int(value);
                    break;
                case "m":
                    month = Int(value);
                    break;
                case "B":
                    month = Array.IndexOf(MonthNames, value.ToLowerInvariant()) + 1;
                    break;
                case "b":
                    month = Array.IndexOf(MonthAbbreviations, value.ToLowerInvariant()) + 1;
                    break;
                case "d":
                    day = Int(value);
                    break;
                case "H":
                    hour = Int(value);
                    break;
                case "I":
                    hour = Int(value);
                    var ampm = match.Group(ampmGroup).Value.ToLowerInvariant();
                    if (ampm is "" or "am")
                    {
                        hour = hour == 12 ? 0 : hour;
                    }
                    else if (ampm == "pm" && hour != 12)
                    {
                        hour += 12;
                    }

                    break;
                case "M":
                    minute = Int(value);
                    break;
                case "S":
                    second = Int(value);
                    break;
                case "A":
                    weekday = Array.IndexOf(DayNames, value.ToLowerInvariant());
                    break;
                case "a":
                    weekday = Array.IndexOf(DayAbbreviations, value.ToLowerInvariant());
                    break;
                case "w":
                    weekday = Int(value) - 1;
                    weekday = weekday < 0 ? 6 : weekday;
                    break;
                case "j":
                    julian = Int(value);
                    break;
                case "U" or "W":
                    weekOfYear = Int(value);
                    weekStartsSunday = field == "U";
                    break;
                case "z" or "Z":
                    tzOffset = value is "Z" or "UTC" or "GMT" ? 0 : TimeZoneOffsets.TryParse(value);
                    if (tzOffset is null)
                    {
                        return null;
                    }

                    break;
            }
        }

        try
        {
            return Compose(year, month, day, hour, minute, second, tzOffset, weekday, julian, weekOfYear, weekStartsSunday, context);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Converts fields read by a fast parser (year 0: none written).</summary>
    public static double? FromFields(FastDate fields, DateContext context)
    {
        try
        {
            return Compose(fields.Year == 0 ? null : fields.Year, fields.Month, fields.Day, fields.Hour, fields.Minute, fields.Second,
                fields.OffsetMinutes, null, null, null, false, context);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static double Compose(
        int? year, int? month, int? day, int hour, int minute, int second, int? tzOffset,
        int? weekday, int? julian, int? weekOfYear, bool weekStartsSunday, DateContext context)
    {
        DateTime? now = null;
        DateTime Now() => now ??= context.LocalNow();
        var assumeYear = year is null;
        var y = year ?? Now().Year;
        if (month is null || day is null)
        {
            if (julian is null && weekOfYear is not null && weekday is not null)
            {
                julian = JulianFromWeek(y, weekOfYear.Value, weekday.Value, weekStartsSunday);
            }

            if (julian is not null)
            {
                var date = new DateTime(y, 1, 1).AddDays(julian.Value - 1);
                (y, month, day) = (date.Year, date.Month, date.Day);
            }
        }

        var assumeToday = month is null && day is null;
        if (assumeToday)
        {
            (month, day) = (Now().Month, Now().Day);
        }

        // Python's datetime(year, month, day) refuses a missing month or day (TypeError): so does this.
        var result = new DateTime(y, month ?? throw new ArgumentOutOfRangeException(nameof(month)), day ?? throw new ArgumentOutOfRangeException(nameof(day)), hour, minute, second);
        tzOffset ??= context.DefaultOffsetMinutes;
        if (tzOffset is not null)
        {
            result = result.AddMinutes(-tzOffset.Value);
        }

        if (assumeToday && result > Now())
        {
            result = result.AddDays(-1);
        }

        if (assumeYear && result > Now().AddDays(1))
        {
            result = new DateTime(y - 1, month.Value, day.Value, result.Hour, result.Minute, result.Second);
        }

        return tzOffset is not null
            ? (result - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond
            : context.LocalToUnix(result);
    }

    private static int JulianFromWeek(int year, int weekOfYear, int weekday, bool weekStartsSunday)
    {
        // _strptime._calc_julian_from_U_or_W
        var firstWeekday = ((int)new DateTime(year, 1, 1).DayOfWeek + 6) % 7;
        if (weekStartsSunday)
        {
            firstWeekday = (firstWeekday + 1) % 7;
            weekday = (weekday + 1) % 7;
        }

        var weekZeroLength = (7 - firstWeekday) % 7;
        return weekOfYear == 0 ? 1 + weekday - firstWeekday : weekZeroLength + (7 * (weekOfYear - 1)) + 1 + weekday;
    }

    private static int Int(string value) => int.Parse(value.AsSpan().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
