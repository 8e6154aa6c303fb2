using Microsoft.Extensions.Time.Testing;
using Warden.Fail2Ban.Dates;

namespace Warden.Fail2Ban.Tests.Dates;

/// <summary>
/// The fast date readers against the regexes they stand in for: wherever a reader answers, the
/// template's regex must find the same date text with the same time; tricky shapes must make it
/// decline (or agree).
/// </summary>
public sealed class FastDateParsersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Lines => new()
    {
        { "{^LN-BEG}", "Nov  1 00:00:03 srv1 sshd[1]: x" },
        { "{^LN-BEG}", "Nov 23 01:24:01 srv1 sshd[1]: x" },
        { "{^LN-BEG}", "nov 23 01:24:01 srv1 sshd[1]: x" },
        { "{^LN-BEG}", "Nov 31 01:24:01 x" },
        { "{^LN-BEG}", "Nov 32 01:24:01 x" },
        { "{^LN-BEG}", "Nov 23 24:24:01 x" },
        { "{^LN-BEG}", "Nov 23 01:24:01 2025 srv1 x" },
        { "{^LN-BEG}", "Nov 23 01:24:01 2025x srv1 x" },
        { "{^LN-BEG}", "Nov 23 01:24:01.123 srv1 x" },
        { "{^LN-BEG}", "Nov 23 01:24:01x" },
        { "{^LN-BEG}", "Nov 23 01:24:01" },
        { "{^LN-BEG}", "Nov 23 01:24:01: x" },
        { "{^LN-BEG}", "Mon Nov 23 01:24:01 x" },
        { "{^LN-BEG}", "Nov 3 01:24:01 x" },
        { "{^LN-BEG}", "2026-11-23T01:24:01.123456+00:00 srv1 x" },
        { "{^LN-BEG}", "2026-11-23T01:24:01+0100 srv1 x" },
        { "{^LN-BEG}", "2026-11-23T01:24:01.1234567+00:00 srv1 x" },
        { "{^LN-BEG}", "2026-11-23T01:24:01Z srv1 x" },
        { "{^LN-BEG}", "2026-11-23 01:24:01.123 warn: x" },
        { "{^LN-BEG}", "2026-11-23 01:24:01 +2000 x" },
        { "{^LN-BEG}", "2026/11/23 01:24:01 [error] x" },
        { "{^LN-BEG}", "2026-11-23T01:24:01. x" },
        { "{^LN-BEG}", "2026-11-23T01:24:01+01:00x" },
        { "{^LN-BEG}", "2026-13-23T01:24:01 x" },
        { "{^LN-BEG}", "2026-11-23T23:59:59-05:30 x" },
        { @"^[^\[]*\[({DATE})", "192.0.2.1 - - [23/Nov/2026:01:24:01 +0000] \"GET / HTTP/1.1\" 404 1" },
        { @"^[^\[]*\[({DATE})", "192.0.2.1 - - [23/nov/2026:01:24:01 -0130] \"GET / HTTP/1.1\" 404 1" },
        { @"^[^\[]*\[({DATE})", "192.0.2.1 - - [23/Nov/2026:01:24:01] x" },
        { @"^[^\[]*\[({DATE})", "192.0.2.1 - - [23/Nov/2026:01:24:01 UTC] x" },
        { @"^[^\[]*\[({DATE})", "192.0.2.1 - - [23/Nov/2026:01:24:01.5 +0000] x" },
        { @"^[^\[]*\[({DATE})", "no bracket here" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void TryParse_AnyLine_AgreesWithTheRegexWheneverItAnswers(string datePattern, string line)
    {
        var time = new FakeTimeProvider(Now);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var context = new DateContext(time, null);
        var detector = new DateDetector(2026);
        detector.Append(datePattern);
        foreach (var template in Templates(detector, line))
        {
            if (template.Fast is not { } fast || !fast.TryParse(line, out var end, out var start, out var dateEnd, out var fields))
            {
                continue;
            }

            var match = template.MatchDate(line);
            Assert.NotNull(match);
            Assert.Equal(match.Index + match.Length, end);
            Assert.Equal(template.DateGroup(match).Index, start);
            Assert.Equal(template.DateGroup(match).Index + template.DateGroup(match).Length, dateEnd);
            Assert.Equal(template.GetTime(match, context), Strptime.FromFields(fields, context));
        }
    }

    [Fact]
    public void For_DefaultTemplates_ProvidesTheThreeReaders()
    {
        var fast = DateTemplates.All(2026).Where(t => t.Fast is not null).Select(t => t.Name).ToList();

        Assert.Equal(2, fast.Count);
    }

    private static IEnumerable<DateTemplate> Templates(DateDetector detector, string line)
    {
        // The detector's template list is private; the first match finds the one in use.
        var hit = detector.MatchTime(line);
        return hit is { } found ? [found.Template] : [];
    }
}
