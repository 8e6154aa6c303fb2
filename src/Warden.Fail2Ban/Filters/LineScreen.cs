using Warden.Fail2Ban.Dates;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// Stage one of a line: where its date is (fail2ban's date detector, with the template order it
/// learns) and, from the literals every failregex needs (<see cref="LinePrefilter"/>), whether any
/// regex could match at all; for a kept line, the prefregex run ahead. What it finds is handed to
/// <see cref="FilterCore"/> with the line (<see cref="CandidateLine"/>), so stage one and stage
/// two may run on different threads (FilterTester's pipeline). Owned by one thread; not thread-safe.
/// </summary>
internal sealed class LineScreen
{
    private readonly FilterDefinition _definition;
    private readonly DateDetector _dates;
    private readonly LinePrefilter? _prefilter;
    private DateHit? _knownHit;
    private LineMask? _knownPossible;
    private DateHit? _rejectedHit;

    public LineScreen(FilterDefinition definition)
    {
        _definition = definition;
        _dates = definition.CreateDateDetector();
        _prefilter = definition.Prefilter;
    }

    /// <summary>
    /// Decides without allocating that a line cannot give a failure, when the date is where the
    /// previous line had it and no failregex's required literal occurs: the common case. The
    /// line's date is remembered as fail2ban would (for undated lines that follow), lazily.
    /// </summary>
    public bool TryReject(ReadOnlySpan<char> line)
    {
        if (_prefilter is null || !_dates.TryMatchCached(line, out var hit))
        {
            return false;
        }

        if (hit.DateEnd <= hit.DateStart || !hit.Fields.PlausibleDay)
        {
            _knownHit = hit;
            return false;
        }

        // The text the regexes see is the line without its date: one scan finds every possible
        // failregex, and stage two is handed the result.
        var possible = _prefilter.MaskAround(line, hit.DateStart, hit.DateEnd, out var ignorePossible);
        if (possible != 0 || ignorePossible)
        {
            _knownHit = hit;
            _knownPossible = new LineMask(possible, ignorePossible);
            return false;
        }

        _rejectedHit = hit;
        return true;
    }

    /// <summary>Stage one for a line <see cref="TryReject"/> kept: where its date is (or null).</summary>
    public DateHit? Locate(string line)
    {
        var hit = _knownHit ?? _dates.MatchTime(line);
        _knownHit = null;
        return hit;
    }

    /// <summary>Stage one: the regexes <see cref="TryReject"/> found possible for the kept line, when it knows.</summary>
    public LineMask? TakePossible()
    {
        var possible = _knownPossible;
        _knownPossible = null;
        return possible;
    }

    /// <summary>
    /// Stage one, for a kept line whose failregexes the screen judged (<paramref name="possible"/>):
    /// runs the prefregex over the buffer stage two would build, so that this costly step runs on
    /// the screening thread. Null when there is nothing to run ahead. Thread-safe.
    /// </summary>
    public PrefMatch? RunPrefRegex(string line, DateHit? hit, LineMask? possible)
    {
        if (possible is not { Fail: > 0 } || hit is not { } found || found.DateEnd <= found.DateStart
            || _definition.PrefRegex is not { } prefRegex || _definition.MaxLines > 1)
        {
            return null;
        }

        var buffer = string.Concat(line.AsSpan(0, found.DateStart), line.AsSpan(found.DateEnd), "\n");
        var match = prefRegex.Regex.Match(buffer, out var limitHit);
        return new PrefMatch(buffer, match, limitHit);
    }

    /// <summary>Stage one: the date of the last rejected line since the previous kept one, handed to stage two.</summary>
    public DateHit? TakeRejected()
    {
        var rejected = _rejectedHit;
        _rejectedHit = null;
        return rejected;
    }
}
