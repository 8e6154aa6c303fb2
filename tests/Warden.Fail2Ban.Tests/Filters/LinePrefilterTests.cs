using Microsoft.Extensions.Time.Testing;
using Warden.Core.Detections;
using Warden.Fail2Ban.Filters;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Filters;

public sealed class LinePrefilterTests
{
    private static FilterDefinition Stock(string name) =>
        new FilterLoader(["/etc/fail2ban"], TimeProvider.System, includeShipped: false).Load(name);

    [Fact]
    public void Possible_StockBadRequest_OnlyLinesWithStatus400()
    {
        // nginx-bad-request's regex holds " [] \"" (every access log line has it once the date is
        // cut) and "\" 400": both must be there, so a 200 line never reaches the regex engine.
        var prefilter = Stock("nginx-bad-request").Prefilter!;

        Assert.False(Possible(prefilter, 0, "192.0.2.1 - - [] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\""));
        Assert.True(Possible(prefilter, 0, "192.0.2.1 - - [] \"\\x16\\x03\" 400 150 \"-\" \"-\""));
    }

    [Fact]
    public void Possible_StockSshd_InvalidUserNeedsItsFrom()
    {
        var definition = Stock("sshd");
        var prefilter = definition.Prefilter!;
        var invalidUser = definition.FailRegexes.Select((r, i) => (r, i)).First(x => x.r.Configured.Contains("nvalid) user", StringComparison.Ordinal)).i;

        Assert.False(Possible(prefilter, invalidUser, "srv1 sshd[1]: Connection closed by invalid user admin 192.0.2.1 port 22 [preauth]"));
        Assert.True(Possible(prefilter, invalidUser, "srv1 sshd[1]: Invalid user admin from 192.0.2.1 port 22"));
    }

    [Fact]
    public void PossibleMask_StockSshdFailedPassword_OnlyRegexesWhoseFactorsAreThere()
    {
        // Stage one hands this mask to stage two, which runs no regex whose bit is clear.
        var definition = Stock("sshd");
        var prefilter = definition.Prefilter!;
        var invalidUser = definition.FailRegexes.Select((r, i) => (r, i)).First(x => x.r.Configured.Contains("nvalid) user", StringComparison.Ordinal)).i;
        const string failed = "srv1 sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2";

        var mask = Mask(prefilter, failed);

        Assert.NotEqual(0UL, mask);
        Assert.Equal(0UL, mask & (1UL << invalidUser));
        // Sound: no regex that really matches the text (the prefregex's content here) has its bit clear.
        var content = definition.PrefRegex!.Regex.Match(failed + "\n", out _)!.Value(definition.PrefRegex.GroupNumbers[definition.PrefRegex.Names.ToList().IndexOf("content")])!;
        var matching = Enumerable.Range(0, definition.FailRegexes.Count).Where(i => definition.FailRegexes[i].Regex.Match(content + "\n", out _) is not null).ToList();
        Assert.NotEmpty(matching);
        Assert.All(matching, i => Assert.True((mask & (1UL << i)) != 0, $"failregex {i} matches but its bit is clear"));
        Assert.Equal(0UL, Mask(prefilter, "srv1 CRON[1]: pam_unix(cron:session): session opened for user root"));
    }

    [Fact]
    public void MayMatch_NoRegexLiteral_RejectsTheLine()
    {
        var prefilter = Stock("sshd").Prefilter!;
        const string line = "Nov  1 00:00:00 srv1 CRON[42]: pam_unix(cron:session): session opened for user root";

        Assert.False(prefilter.MayMatch(line, 0, 15));
    }

    [Fact]
    public void MayMatch_AfterTrainingOnOrdinaryLines_StillFindsTheAttack()
    {
        // The first 2,048 lines reorder the factors (the rarest, weighed by cost, first); answers must not change.
        var prefilter = Stock("nginx-botsearch").Prefilter!;
        const string ordinary = "192.0.2.7 - - [01/Nov/2026:00:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 612 \"-\" \"Mozilla/5.0\"";
        const string attack = "192.0.2.9 - - [01/Nov/2026:00:00:01 +0000] \"GET /wp-login.php HTTP/1.1\" 404 153 \"-\" \"zgrab\"";
        var cut = (ordinary.IndexOf('[', StringComparison.Ordinal) + 1, ordinary.IndexOf(']', StringComparison.Ordinal));
        var attackCut = (attack.IndexOf('[', StringComparison.Ordinal) + 1, attack.IndexOf(']', StringComparison.Ordinal));
        var before = (prefilter.MayMatch(ordinary, cut.Item1, cut.Item2), prefilter.MayMatch(attack, attackCut.Item1, attackCut.Item2));

        for (var i = 0; i < 3000; i++)
        {
            prefilter.MayMatch(ordinary, cut.Item1, cut.Item2);
        }

        Assert.Equal((false, true), before);
        Assert.False(prefilter.MayMatch(ordinary, cut.Item1, cut.Item2));
        Assert.True(prefilter.MayMatch(attack, attackCut.Item1, attackCut.Item2));
        Assert.True(Possible(prefilter, 0, attack[..attackCut.Item1] + attack[attackCut.Item2..]));
    }

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

    // Whether failregex i could match the text: its bit of the one-scan mask.
    private static bool Possible(LinePrefilter prefilter, int index, string text) => (Mask(prefilter, text) & (1UL << index)) != 0;

    private static ulong Mask(LinePrefilter prefilter, string text) => prefilter.Mask(text, out _);
}
