using System.Diagnostics.Metrics;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// What one filter instance has seen: lines read, lines that gave a failure, lines an
/// ignoreregex dropped, regex matches stopped at a limit, and hits per failregex.
/// Written by the instance's single thread; reads from other threads see recent, not atomic, values.
/// </summary>
public sealed class FilterCounters
{
    /// <summary>The meter of Warden's filters (System.Diagnostics.Metrics), for the metrics exporter.</summary>
    public const string MeterName = "Warden.Fail2Ban";

    private static readonly Meter Meter = new(MeterName);

    // regex_limit_hits{filter}: matches stopped at a PCRE2 limit, by filter name (configuration, never line text).
    private static readonly Counter<long> LimitHitsInstrument = Meter.CreateCounter<long>("regex_limit_hits", unit: "{match}", description: "Regex matches stopped at a PCRE2 match, depth or heap limit");

    private readonly long[] _hits;
    private readonly KeyValuePair<string, object?> _filterTag;
    private long _lines;
    private long _matched;
    private long _ignored;
    private long _limitHits;

    internal FilterCounters(int failRegexCount, string filter)
    {
        _hits = new long[failRegexCount];
        _filterTag = new("filter", filter);
    }

    /// <summary>Lines processed.</summary>
    public long Lines => Volatile.Read(ref _lines);

    /// <summary>Lines that produced at least one failure.</summary>
    public long Matched => Volatile.Read(ref _matched);

    /// <summary>Lines dropped by an ignoreregex.</summary>
    public long Ignored => Volatile.Read(ref _ignored);

    /// <summary>Lines that were neither.</summary>
    public long Missed => Lines - Matched - Ignored;

    /// <summary>Regex matches stopped at a PCRE2 match, depth or heap limit (a hostile line or pattern): regex_limit_hits.</summary>
    public long RegexLimitHits => Volatile.Read(ref _limitHits);

    /// <summary>Failures found by each failregex, by index.</summary>
    public IReadOnlyList<long> HitsPerRegex => _hits;

    internal void AddLine() => _lines++;

    internal void AddMatched() => _matched++;

    internal void AddIgnored() => _ignored++;

    internal void AddLimitHit()
    {
        Interlocked.Increment(ref _limitHits);
        LimitHitsInstrument.Add(1, _filterTag);
    }

    internal void AddHit(int regex) => _hits[regex]++;
}
