using Microsoft.Extensions.Time.Testing;
using Warden.Core.Detection;
using Warden.Fail2Ban.Filters;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Filters;

/// <summary>
/// The literal screen must see the line as the regexes do: with the date cut out, so a literal
/// that only exists across the cut (access logs' "[]") still lets the line through.
/// </summary>
public sealed class LinePrefilterTests
{
    [Fact]
    public void Process_LiteralFormedAcrossTheDateCut_StillMatches()
    {
        using var dir = new TempDirectory();
        dir.Write("filter.d/web.conf", "[Definition]\nfailregex = ^<HOST> \\S+ \\S+ \\[\\] \"GET /secret\ndatepattern = ^[^\\[]*\\[({DATE})\n");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var filter = new FilterLoader([dir.Path], time, includeShipped: false).Load("web").CreateFilter();
        var found = new List<Detection>();

        filter.Process("192.0.2.1 - - [23/Nov/2026:01:24:01 +0000] \"GET / HTTP/1.1\" 200 1", found);
        filter.Process("192.0.2.2 - - [23/Nov/2026:01:24:02 +0000] \"GET /secret HTTP/1.1\" 404 1", found);

        Assert.Equal("192.0.2.2", Assert.Single(found).Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 24, 2, TimeSpan.Zero), found[0].Time);
    }

    [Fact]
    public void Process_RejectedLineThenUndatedLine_UsesTheRejectedLinesDate()
    {
        // fail2ban gives an undated line the previous line's date when that is recent; a line
        // skipped by the screen must still leave its date behind.
        using var dir = new TempDirectory();
        dir.Write("filter.d/cont.conf", "[Definition]\nfailregex = ^\\s*continued failure from <HOST>$\n");
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var filter = new FilterLoader([dir.Path], time, includeShipped: false).Load("cont").CreateFilter();
        var found = new List<Detection>();

        filter.Process("Nov 23 11:59:30 srv1 app[1]: something unrelated", found);
        filter.Process("Nov 23 11:59:40 srv1 app[1]: another unrelated line", found);
        filter.Process("   continued failure from 192.0.2.9", found);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 11, 59, 40, TimeSpan.Zero), Assert.Single(found).Time);
    }
}
