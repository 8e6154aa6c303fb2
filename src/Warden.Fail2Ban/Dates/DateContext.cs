namespace Warden.Fail2Ban.Dates;

/// <summary>
/// What turning a date text into an instant needs besides the text: the clock (for dates without
/// a year or day), the local time zone (for dates without an offset, fail2ban uses mktime), and
/// the jail's <c>logtimezone</c> when set. Caches the current local time per second and the local
/// offset per clock hour (offsets only change at transitions, which are handled exactly). Not
/// thread-safe: one per filter instance.
/// </summary>
internal sealed class DateContext(TimeProvider time, int? defaultOffsetMinutes)
{
    private long _nowSecond = long.MinValue;
    private DateTime _localNow;
    private long _offsetHour = long.MinValue;
    private TimeSpan _offset;

    public TimeProvider Time { get; } = time;

    public TimeZoneInfo LocalZone { get; } = time.LocalTimeZone;

    /// <summary>logtimezone as minutes east of UTC, or null (use the local zone).</summary>
    public int? DefaultOffsetMinutes { get; } = defaultOffsetMinutes;

    /// <summary>fail2ban's MyTime.now(): the local wall-clock time, without zone.</summary>
    public DateTime LocalNow()
    {
        var utc = Time.GetUtcNow();
        var second = utc.UtcTicks / TimeSpan.TicksPerSecond;
        if (second != _nowSecond)
        {
            _localNow = TimeZoneInfo.ConvertTime(utc, LocalZone).DateTime;
            _nowSecond = second;
        }

        return _localNow.AddTicks(utc.UtcTicks % TimeSpan.TicksPerSecond - (_localNow.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>Seconds since the epoch of a local wall-clock time (time.mktime with tm_isdst=-1:
    /// in a repeated or skipped hour glibc takes the standard offset, and so does this).</summary>
    public double LocalToUnix(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var hour = unspecified.Ticks / TimeSpan.TicksPerHour;
        if (hour != _offsetHour)
        {
            var start = new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Unspecified);
            var first = OffsetAt(start);
            var last = OffsetAt(start.AddTicks(TimeSpan.TicksPerHour - 1));
            if (first != last || first is null)
            {
                // A transition inside this hour: no caching.
                return ToUnix(unspecified, OffsetAt(unspecified) ?? LocalZone.BaseUtcOffset);
            }

            _offsetHour = hour;
            _offset = first.Value;
        }

        return ToUnix(unspecified, _offset);
    }

    private TimeSpan? OffsetAt(DateTime local) =>
        LocalZone.IsInvalidTime(local) || LocalZone.IsAmbiguousTime(local) ? null : LocalZone.GetUtcOffset(local);

    private static double ToUnix(DateTime local, TimeSpan offset) =>
        (local - offset - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
