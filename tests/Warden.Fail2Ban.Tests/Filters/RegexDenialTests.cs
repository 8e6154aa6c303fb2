using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Detections;
using Warden.Fail2Ban.Filters;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Filters;

/// <summary>
/// A filter with a catastrophically backtracking pattern meets a line built to trigger it: the
/// line finishes within PCRE2's match limit, the stopped match is counted (regex_limit_hits) and
/// logged without the line's text, and the jail's filter goes on detecting the next ordinary line.
/// </summary>
public sealed class RegexDenialTests
{
    // (\w+\s?)* before a failing tail is exponential for a backtracking engine.
    private const string Pathological = @"^(\w+\s?)*: login failed from <HOST>$";

    // The same with a look-ahead.
    private const string PathologicalNoScreen = @"^(?=\w)(\w+\s?)*: login failed from <HOST>$";

    [Theory]
    [InlineData(Pathological)]
    [InlineData(PathologicalNoScreen)]
    public void Process_HostileLine_FinishesInBoundAndFilterKeepsWorking(string failregex)
    {
        using var dir = new TempDirectory();
        dir.Write("filter.d/evil.conf", $"[Definition]\nfailregex = {failregex}\n");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var log = new RecordingLogger();
        var filter = new FilterLoader([dir.Path], time, includeShipped: false).Load("evil").CreateFilter(log);
        long measured = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FilterCounters.MeterName && instrument.Name == "regex_limit_hits")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "filter" && (string?)tag.Value == "evil")
                {
                    Interlocked.Add(ref measured, value);
                }
            }
        });
        listener.Start();
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
        Assert.Equal(3, filter.Counters.RegexLimitHits);
        Assert.Equal(3, Interlocked.Read(ref measured));
        Assert.Equal(3, log.Messages.Count);
        Assert.All(log.Messages, m => Assert.DoesNotContain("aaaa", m, StringComparison.Ordinal));
        Assert.All(log.Messages, m => Assert.Contains("evil", m, StringComparison.Ordinal));
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
