using Warden.Fail2Ban.Dates;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// The line-processing heart of a fail2ban filter, ported from server/filter.py
/// (<c>processLine</c>, <c>findFailure</c>, <c>_ignoreLine</c>): given where <see cref="LineScreen"/>
/// found the date, cut it out of the line, keep the multi-line buffer, apply the prefregex (and its
/// F-CONTENT), the ignoreregexes and the failregexes, merge multi-line failures by MLFID, and name
/// each failure by F-ID, address or host. Stateful (buffer, last date, MLFID cache): one instance
/// per jail, not thread-safe.
/// </summary>
internal sealed class FilterCore
{
    private readonly FilterDefinition _definition;
    private readonly FilterBehavior _behavior;
    private readonly DateContext _dateContext;
    private readonly MlfidCache _mlfids;
    private readonly LinePrefilter? _prefilter;
    // The definition's regexes as arrays: read for every candidate line, without interface calls.
    private readonly FilterRegex[] _failRegexes;
    private readonly FilterRegex[] _ignoreRegexes;
    private List<TupleLine> _buffer = [];

    // The date of the last line stage one (LineScreen) rejected, handed over with the next kept
    // line and read only when an undated line needs it.
    private DateHit? _pendingLastHit;
    // The date text undated lines borrow: the last dated line's, cut from it only when needed.
    private TupleLine? _lastTimeLine;
    private double? _lastDate;

    public FilterCore(FilterDefinition definition, FilterBehavior behavior)
    {
        _definition = definition;
        _behavior = behavior;
        _dateContext = new DateContext(definition.Time, definition.LogTimeZoneMinutes);
        _mlfids = new MlfidCache(definition.Time);
        _prefilter = definition.Prefilter;
        _failRegexes = [.. definition.FailRegexes];
        _ignoreRegexes = [.. definition.IgnoreRegexes];
        Counters = new FilterCounters(definition.FailRegexes.Count, definition.Name);
    }

    public FilterCounters Counters { get; }

    /// <summary>True when the last line was dropped by an ignoreregex.</summary>
    public bool LastLineIgnored { get; private set; }

    private double Now => _definition.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Stage two: the rest of processLine, given the date found by stage one and, when it knows, what <see cref="LineScreen.TakePossible"/> said.</summary>
    public void Finish(string line, DateHit? hit, DateHit? rejectedBefore, List<RawFailure> failures, LineMask? possible = null, PrefMatch? pref = null)
    {
        // Stage one's mask (and prefregex match) hold for the line without the date it found; any other text is checked anew.
        LineMask? known = null;
        LastLineIgnored = false;
        if (rejectedBefore is not null)
        {
            _pendingLastHit = rejectedBefore;
        }

        var noDate = false;
        double? date = null;
        TupleLine tuple;
        if (hit is { } found)
        {
            var (start, end) = (found.DateStart, found.DateEnd);
            if (end > start)
            {
                date = found.GetTime(_dateContext);
                if (date is not null)
                {
                    if (_prefilter is not null && possible is null && !_prefilter.MayMatch(line, start, end))
                    {
                        _lastDate = date;
                        _lastTimeLine = null;
                        _pendingLastHit = null;
                        return;
                    }

                    tuple = TupleLine.Cut(line, start, end);
                    known = possible;
                    _lastTimeLine = tuple;
                    _lastDate = date;
                    _pendingLastHit = null;
                }
                else
                {
                    tuple = TupleLine.Cut(line, start, end);
                }
            }
            else if (LastDate() is { } last && last > Now - 60)
            {
                tuple = TupleLine.Undated(line, LastTimeText);
                date = last;
            }
            else
            {
                tuple = TupleLine.Undated(line);
                date = Now;
            }
        }
        else
        {
            tuple = TupleLine.Undated(line);
        }

        if (date is null)
        {
            noDate = true;
            if (LastDate() is { } last && last > Now - 60)
            {
                tuple = TupleLine.Undated(line, LastTimeText);
                date = last;
            }
            else if (_behavior.DateFallbackToNow)
            {
                date = Now;
            }
        }

        if (_prefilter is not null && known is null && !_prefilter.MayMatch(tuple.Text, 0, 0))
        {
            return;
        }

        FindFailure(tuple, date, noDate, failures, _prefilter, known, known is null ? null : pref);
    }

    private string LastTimeText => _lastTimeLine?.Date ?? string.Empty;

    // The last line's date, computed on demand when that line took the fast path.
    private double? LastDate()
    {
        if (_pendingLastHit is { } pending)
        {
            _pendingLastHit = null;
            if (pending.GetTime(_dateContext) is { } time)
            {
                _lastDate = time;
                _lastTimeLine = null;
            }
        }

        return _lastDate;
    }

    /// <summary>processLine with a known time (a journal entry): the date detector is not used.</summary>
    public void ProcessLine(TupleLine tuple, double date, List<RawFailure> failures)
    {
        LastLineIgnored = false;
        _lastTimeLine = tuple;
        _lastDate = date;
        _pendingLastHit = null;
        FindFailure(tuple, date, noDate: false, failures, null, null, null);
    }

    private void FindFailure(TupleLine tuple, double? date, bool noDate, List<RawFailure> failures, LinePrefilter? prefilter, LineMask? knownPossible, PrefMatch? pref)
    {
        var maxLines = _definition.MaxLines;
        List<TupleLine> original;
        if (maxLines > 1)
        {
            _buffer.Add(tuple);
            if (_buffer.Count > maxLines)
            {
                _buffer = _buffer.GetRange(_buffer.Count - maxLines, maxLines);
            }

            original = _buffer;
        }
        else
        {
            original = _buffer = [tuple];
        }

        string? buffer = pref?.Buffer ?? TupleLine.Buffer(original);
        var failRegexes = _failRegexes;
        var ignoreRegexes = _ignoreRegexes;
        // The literal screen sees the line as the regexes do (date removed, before any F-CONTENT
        // cut); stage one's verdict is used when it has one, else one scan gives it here.
        LineMask? mask = prefilter is null ? null : knownPossible ?? Screen(prefilter, tuple.Text);
        if (ignoreRegexes.Length > 0 && ignoreRegexes.Length < failRegexes.Length - 2
            && mask is not { Ignore: false } && IgnoreLine(buffer, original, null) is not null)
        {
            return;
        }

        // Which failregexes could match at all (every factor present): with none, the prefregex
        // and everything after it cannot give a result and are skipped.
        var possible = mask?.Fail ?? ulong.MaxValue;
        if (possible == 0)
        {
            return;
        }

        FailData? preGroups = null;
        if (_definition.PrefRegex is { } prefRegex)
        {
            var pre = pref is null ? RegexSearch.Run(prefRegex, buffer, original, Counters) : RegexSearch.From(prefRegex, pref, original, Counters);
            if (pre is null)
            {
                return;
            }

            preGroups = pre.Groups();
            var content = preGroups.Pop("content") as string;
            if (!string.IsNullOrEmpty(content))
            {
                _buffer = [TupleLine.Undated(content)];
                buffer = null;
            }
        }

        for (var index = 0; index < failRegexes.Length; index++)
        {
            if ((possible & (1UL << index)) == 0)
            {
                continue;
            }

            var failRegex = failRegexes[index];
            buffer ??= TupleLine.Buffer(_buffer);
            var search = RegexSearch.Run(failRegex, buffer, original, Counters);
            if (search is null)
            {
                continue;
            }

            // With a prefregex, fail2ban's failure is the prefregex's groups updated with these.
            var fail = preGroups is null ? search.Groups() : search.GroupsOver(preGroups.Copy(search.Regex.Names.Length + 2));
            if (ignoreRegexes.Length > 0 && IgnoreLine(buffer, original, search) is not null)
            {
                buffer = null;
                if (!_behavior.CheckAllRegex)
                {
                    break;
                }

                continue;
            }

            if (noDate && date is null && _behavior.DateFallbackToNow)
            {
                continue;
            }

            if (!_behavior.CheckAllRegex || maxLines > 1)
            {
                _buffer = search.Unmatched;
                buffer = null;
            }

            var mlfid = fail.GetString("mlfid");
            if (mlfid is not null)
            {
                fail = MlfidMerge.Merge(_mlfids, mlfid, fail, search);
                if (fail.IsTrue("nofail") && !_behavior.CheckAllRegex)
                {
                    return;
                }
            }
            else
            {
                fail.Matches = [.. fail.Matches, .. search.Matched];
            }

            if (!FailureIdentity.TryIdentify(fail, mlfid, out var id))
            {
                continue;
            }

            if (id is null)
            {
                fail["mlfpending"] = 1;
                if (!_behavior.CheckAllRegex && _behavior.IgnorePending)
                {
                    return;
                }
            }

            if (_behavior.CheckAllRegex && mlfid is not null)
            {
                fail = fail.Copy();
            }

            failures.Add(new RawFailure(index, id, date, fail));
            if (!_behavior.CheckAllRegex)
            {
                break;
            }
        }
    }

    private static LineMask Screen(LinePrefilter prefilter, string text) => new(prefilter.Mask(text, out var ignore), ignore);

    private int? IgnoreLine(string buffer, IReadOnlyList<TupleLine> original, RegexSearch? failSearch)
    {
        if (failSearch is not null && _definition.MaxLines > 1)
        {
            original = failSearch.Matched;
            buffer = TupleLine.Buffer(original);
        }

        int? found = null;
        var ignoreRegexes = _ignoreRegexes;
        for (var index = 0; index < ignoreRegexes.Length; index++)
        {
            if (RegexSearch.Run(ignoreRegexes[index], buffer, original, Counters) is null)
            {
                continue;
            }

            found = index;
            LastLineIgnored = true;
            if ((!_behavior.CheckAllRegex || _definition.MaxLines > 1) && failSearch is not null)
            {
                _buffer = failSearch.Unmatched;
            }

            if (!_behavior.CheckAllRegex)
            {
                break;
            }
        }

        return found;
    }
}
