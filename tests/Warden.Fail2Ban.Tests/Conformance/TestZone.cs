namespace Warden.Fail2Ban.Tests.Conformance;

/// <summary>
/// The time zone fail2ban's sample tests run in (tests/utils.py sets
/// TZ=CET-01CEST-02,M3.5.0,M10.5.0): UTC+1, daylight saving UTC+2 from the last Sunday of March
/// 02:00 to the last Sunday of October 02:00 (local time then in force), as POSIX TZ reads it.
/// </summary>
internal static class TestZone
{
    public static TimeZoneInfo Cet { get; } = TimeZoneInfo.CreateCustomTimeZone(
        "CET-01CEST-02",
        TimeSpan.FromHours(1),
        "CET-01CEST-02",
        "CET",
        "CEST",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date,
                DateTime.MaxValue.Date,
                TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 10, 5, DayOfWeek.Sunday)),
        ]);

    /// <summary>fail2ban's TEST_NOW: Sun Aug 14 12:00:00 CEST 2005.</summary>
    public static DateTimeOffset Now { get; } = DateTimeOffset.FromUnixTimeSeconds(1124013600);

    /// <summary>mktime of a local wall-clock time in a zone (the failJSON "time" values).</summary>
    public static double LocalToUnix(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(unspecified) || zone.IsAmbiguousTime(unspecified) ? zone.BaseUtcOffset : zone.GetUtcOffset(unspecified);
        return (unspecified - offset - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
    }
}
