using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Detections;
using Warden.Fail2Ban.Filters;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Filters;

/// <summary>
/// A filter with a catastrophically backtracking pattern meets a line built to trigger it: the
/// line finishes within its bound, the abandoned match is counted, and the jail's filter goes on
/// detecting the next ordinary line.
/// </summary>
public sealed class RegexDenialTests
{
    // (\w+\s?)* before a failing tail is exponential for a backtracking engine.
    private const string Pathological = @"^(\w+\s?)*: login failed from <HOST>$";

    // The same with a look-ahead, which the linear-time engine refuses: only the timeout bounds it.
    private const string PathologicalNoScreen = @"^(?=\w)(\w+\s?)*: login failed from <HOST>$";

    [Theory]
    [InlineData(Pathological)]
    [InlineData(PathologicalNoScreen)]
    public void Process_HostileLine_FinishesInBoundAndFilterKeepsWorking(string failregex)
    {
        using var dir = new TempDirectory();
        dir.Write("filter.d/evil.conf", $"[Definition]\nfailregex = {failregex}\n");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var filter = new FilterLoader([dir.Path], time, includeShipped: false).Load("evil").CreateFilter();
        var found = new List<Detection>();
        // It holds the regex's literal, so it reaches the regex engine, and fails only at the very end.
        var hostile = new string('a', 30) + " " + new string('b', 30) + ": login failed from !";

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            filter.Process(hostile, found);
        }

        watch.Stop();
        filter.Process("app: login failed from 192.0.2.7", found);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"three hostile lines took {watch.Elapsed}");
        Assert.Equal("192.0.2.7", Assert.Single(found).Id);
        if (failregex == PathologicalNoScreen)
        {
            Assert.True(filter.Counters.RegexTimeouts >= 3, $"timeouts counted: {filter.Counters.RegexTimeouts}");
        }
    }
}
