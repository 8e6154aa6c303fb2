namespace Warden.Fail2Ban.Filters;

/// <summary>
/// What one filter instance has seen: lines read, lines that gave a failure, lines an
/// ignoreregex dropped, regex matches abandoned at their time limit, and hits per failregex.
/// Written by the instance's single thread; reads from other threads see recent, not atomic, values.
/// </summary>
public sealed class FilterCounters
{
    private readonly long[] _hits;
    private long _lines;
    private long _matched;
    private long _ignored;
    private long _timeouts;

    internal FilterCounters(int failRegexCount)
    {
        _hits = new long[failRegexCount];
    }

    /// <summary>Lines processed.</summary>
    public long Lines => Volatile.Read(ref _lines);

    /// <summary>Lines that produced at least one failure.</summary>
    public long Matched => Volatile.Read(ref _matched);

    /// <summary>Lines dropped by an ignoreregex.</summary>
    public long Ignored => Volatile.Read(ref _ignored);

    /// <summary>Lines that were neither.</summary>
    public long Missed => Lines - Matched - Ignored;

    /// <summary>Regex matches given up because they ran longer than the limit (a hostile line or pattern).</summary>
    public long RegexTimeouts => Volatile.Read(ref _timeouts);

    /// <summary>Failures found by each failregex, by index.</summary>
    public IReadOnlyList<long> HitsPerRegex => _hits;

    internal void AddLine() => _lines++;

    internal void AddMatched() => _matched++;

    internal void AddIgnored() => _ignored++;

    internal void AddTimeout() => Interlocked.Increment(ref _timeouts);

    internal void AddHit(int regex) => _hits[regex]++;
}
