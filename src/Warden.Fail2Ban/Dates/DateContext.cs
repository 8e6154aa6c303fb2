namespace Warden.Fail2Ban.Dates;

/// <summary>
/// What turning a date text into an instant needs besides the text: the clock (for dates without
/// a year or day), the local time zone (for dates without an offset, fail2ban uses mktime), and
/// the jail's <c>logtimezone</c> when set. Immutable apart from the clock's own progress.
/// </summary>
internal sealed class DateContext(TimeProvider time, int? defaultOffsetMinutes)
{
    public TimeProvider Time { get; } = time;

    public TimeZoneInfo LocalZone { get; } = time.LocalTimeZone;

    /// <summary>logtimezone as minutes east of UTC, or null (use the local zone).</summary>
    public int? DefaultOffsetMinutes { get; } = defaultOffsetMinutes;

    /// <summary>fail2ban's MyTime.now(): the local wall-clock time, without zone.</summary>
    public DateTime LocalNow()
    {
        var utc = Time.GetUtcNow();
        return TimeZoneInfo.ConvertTime(utc, LocalZone).DateTime;
    }

    /// <summary>Seconds since the epoch of a local wall-clock time (time.mktime with tm_isdst=-1:
    /// in a repeated or skipped hour glibc takes the standard offset, and so does this).</summary>
    public double LocalToUnix(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = LocalZone.IsInvalidTime(unspecified) || LocalZone.IsAmbiguousTime(unspecified)
            ? LocalZone.BaseUtcOffset
            : LocalZone.GetUtcOffset(unspecified);
        return (unspecified - offset - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
    }
}
