namespace Warden.Fail2Ban.FilterRun;

/// <summary>The outcome of running a filter over a log (fail2ban-regex's summary).</summary>
public sealed class FilterTestReport
{
    /// <summary>Lines read.</summary>
    public long Lines { get; init; }

    /// <summary>Lines that produced at least one failure.</summary>
    public long Matched { get; init; }

    /// <summary>Lines an ignoreregex (or a helper F-NOFAIL match) set aside.</summary>
    public long Ignored { get; init; }

    /// <summary>Lines neither matched nor ignored.</summary>
    public long Missed => Lines - Matched - Ignored;

    /// <summary>Failures found (a line may hold several in check-all mode).</summary>
    public long Failures { get; init; }

    /// <summary>Each failregex with its hits, in order.</summary>
    public IReadOnlyList<(string Regex, long Hits)> RegexHits { get; init; } = [];

    /// <summary>The ignoreregexes.</summary>
    public IReadOnlyList<string> IgnoreRegexes { get; init; } = [];

    /// <summary>The most frequent failure ids with their counts, most frequent first.</summary>
    public IReadOnlyList<(string Id, long Count)> TopIds { get; init; } = [];

    /// <summary>Distinct failure ids seen (capped; see <see cref="FilterTestOptions.MaxTrackedIds"/>).</summary>
    public long DistinctIds { get; init; }

    /// <summary>Regex matches abandoned at their time limit.</summary>
    public long RegexLimitHits { get; init; }

    /// <summary>Bytes read.</summary>
    public long Bytes { get; init; }

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Elapsed { get; init; }
}
