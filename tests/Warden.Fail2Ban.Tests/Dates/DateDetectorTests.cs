using Microsoft.Extensions.Time.Testing;
using Warden.Fail2Ban.Dates;

namespace Warden.Fail2Ban.Tests.Dates;

public sealed class DateDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Nov  1 00:00:00 srv1 sshd[1]: x", "Nov  1 00:00:00", "2026-11-01T00:00:00Z")]
    [InlineData("Nov 23 01:24:01 srv1 sshd[1]: x", "Nov 23 01:24:01", "2026-11-23T01:24:01Z")]
    [InlineData("2026-11-23T01:24:01.123456+00:00 srv1 sshd[1]: x", "2026-11-23T01:24:01.123456+00:00", "2026-11-23T01:24:01Z")]
    [InlineData("2026-11-23T03:24:01.123456+02:00 srv1 sshd[1]: x", "2026-11-23T03:24:01.123456+02:00", "2026-11-23T01:24:01Z")]
    [InlineData("2026-11-01T00:00:03+0000 srv1 sshd[1]: x", "2026-11-01T00:00:03+0000", "2026-11-01T00:00:03Z")]
    [InlineData("192.0.2.1 - - [01/Nov/2026:00:00:03 +0000] \"GET / HTTP/1.1\"", "01/Nov/2026:00:00:03 +0000", "2026-11-01T00:00:03Z")]
    [InlineData("1795000000.123 something", "1795000000.123", "2026-11-18T11:06:40.123Z")]
    public void MatchTime_DefaultTemplates_FindDateAndTime(string line, string dateText, string expected)
    {
        var (detector, context) = Create();

        var hit = detector.MatchTime(line);

        Assert.NotNull(hit);
        Assert.Equal(dateText, line[hit.Value.DateStart..hit.Value.DateEnd]);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() / 1000.0, hit.Value.GetTime(context)!.Value, 3);
    }

    [Fact]
    public void GetTime_YearlessDateAfterNow_IsLastYear()
    {
        var (detector, context) = Create();

        var hit = detector.MatchTime("Dec 31 23:59:59 srv1 x: y");

        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), hit!.Value.GetTime(context));
    }

    [Fact]
    public void GetTime_LogTimeZone_AppliesToDatesWithoutZone()
    {
        var (detector, _) = Create();
        var time = new FakeTimeProvider(Now);
        var context = new DateContext(time, TimeZoneOffsets.TryParse("UTC+0200"));

        var hit = detector.MatchTime("Nov 23 03:00:00 srv1 x: y");

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), hit!.Value.GetTime(context));
    }

    [Fact]
    public void GetTime_LocalZone_UsedWhenLineHasNone()
    {
        var time = new FakeTimeProvider(Now);
        time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("UTC+3", TimeSpan.FromHours(3), "UTC+3", "UTC+3"));
        var detector = new DateDetector(2026);
        var context = new DateContext(time, null);

        var hit = detector.MatchTime("Nov 23 03:00:00 srv1 x: y");

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), hit!.Value.GetTime(context));
    }

    [Theory]
    [InlineData("{^LN-BEG}", "x Nov 23 01:24:01 y", false)]
    [InlineData("{^LN-BEG}", "Nov 23 01:24:01 y", true)]
    [InlineData("%%d/%%b/%%Y", "at 23/Nov/2026 here", false)]
    [InlineData("%d/%b/%Y", "at 23/Nov/2026 here", true)]
    [InlineData("^<\\d+>\\d+\\s+{DATE}", "<13>1 2026-11-23T01:24:01Z host", true)]
    [InlineData("EPOCH", "1795000000 x", true)]
    [InlineData("LEPOCH", "1795000000123 x", true)]
    [InlineData("TAI64N", "@4000000037c219bf2ef02e94 x", true)]
    [InlineData("{NONE}", "no date here", true)]
    public void Append_CustomPatterns_MatchOnlyWhatTheySay(string pattern, string line, bool matches)
    {
        var detector = new DateDetector(2026);

        detector.Append(pattern);

        Assert.Equal(matches, detector.MatchTime(line) is not null);
    }

    [Fact]
    public void Append_UnknownDirective_Throws()
    {
        Assert.Throws<FormatException>(() => new DateDetector(2026).Append("%Q"));
    }

    private static (DateDetector Detector, DateContext Context) Create()
    {
        var time = new FakeTimeProvider(Now);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        return (new DateDetector(2026), new DateContext(time, null));
    }
}
