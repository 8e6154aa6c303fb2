using Warden.Core.Bans;

namespace Warden.Core.Detections;

/// <summary>
/// Counts failures per failure id within a sliding window of <c>findtime</c> and says when an id
/// reaches <c>maxretry</c>. Each id keeps only the times of its last <c>maxretry</c> attempts, so
/// memory per id is bounded; ids whose newest failure is older than <c>findtime</c> are evicted by
/// <see cref="Evict"/>, and the number of tracked ids is capped. Not thread-safe.
/// </summary>
/// <remarks>
/// fail2ban (server/failmanager.py) scales an id's count down to its rate once the first failure
/// falls out of findtime, which can let up to 2 x maxretry - 2 attempts through a window. Warden
/// counts by default the attempts actually inside the window ending at the newest one, which is
/// what the setting says; <see cref="FindTimeWindow.Fail2Ban"/> keeps fail2ban's count instead.
/// </remarks>
public sealed class FailureTracker
{
    private readonly RecentMap<string, Window> _windows;
    private readonly int _maxRetry;
    private readonly long _findTicks;
    private readonly Func<Window> _newWindow;
    private long _now;

    /// <summary>Creates a tracker.</summary>
    /// <param name="maxRetry">Failures within findtime that make a ban (at least 1).</param>
    /// <param name="findTime">The window.</param>
    /// <param name="capacity">Most ids tracked at once; beyond it the stalest eighth is dropped.</param>
    /// <param name="maxMatches">Lines kept per id for the ban's matches and evidence (the larger of fail2ban's maxmatches and dbmaxmatches); 0 keeps none.</param>
    /// <param name="window">How the count within findtime is kept: sliding, or as fail2ban keeps it.</param>
    public FailureTracker(int maxRetry, TimeSpan findTime, int capacity = 1_000_000, int maxMatches = 0, FindTimeWindow window = FindTimeWindow.Sliding)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMatches);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetry, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(findTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _maxRetry = maxRetry;
        _findTicks = findTime.Ticks;
        _windows = new RecentMap<string, Window>(capacity, StringComparer.Ordinal);
        _newWindow = window == FindTimeWindow.Fail2Ban
            ? () => new Fail2BanWindow(_findTicks, maxMatches)
            : () => new SlidingWindow(maxRetry, maxMatches);
    }

    /// <summary>Ids currently tracked.</summary>
    public int Count => _windows.Count;

    /// <summary>The kept lines of the id the last <c>Add</c> settled (reached maxretry), oldest first; empty otherwise.</summary>
    public IReadOnlyList<string> TakenMatches => [.. TakenEvidence.Select(e => e.Line)];

    /// <summary>The kept lines of the id the last <c>Add</c> settled, with their time and source, oldest first; empty otherwise.</summary>
    public IReadOnlyList<EvidenceLine> TakenEvidence { get; private set; } = [];

    /// <summary>
    /// Records <paramref name="attempts"/> failures of <paramref name="id"/> at <paramref name="time"/>.
    /// Returns the number of attempts inside the window; when it reaches maxretry the id is
    /// forgotten (the caller bans it) and the count is returned once.
    /// </summary>
    public int Add(string id, DateTimeOffset time, int attempts = 1) => Add(id, time, attempts, (EvidenceLine?)null);

    /// <summary>
    /// Like <see cref="Add(string, DateTimeOffset, int)"/>, also keeping <paramref name="line"/>
    /// among the id's last maxmatches lines; when the id reaches maxretry its lines are in
    /// <see cref="TakenMatches"/> until the next call.
    /// </summary>
    public int Add(string id, DateTimeOffset time, int attempts, string? line) =>
        Add(id, time, attempts, line is null ? null : new EvidenceLine(time, string.Empty, line));

    /// <summary>
    /// Like <see cref="Add(string, DateTimeOffset, int)"/>, also keeping <paramref name="evidence"/>
    /// among the id's last kept lines; when the id reaches maxretry its lines are in
    /// <see cref="TakenEvidence"/> until the next call.
    /// </summary>
    public int Add(string id, DateTimeOffset time, int attempts, EvidenceLine? evidence)
    {
        TakenEvidence = [];
        ArgumentNullException.ThrowIfNull(id);
        var ticks = time.UtcTicks;
        var window = _windows.Touch(id, ticks, _newWindow, out var newest);
        _now = Math.Max(_now, ticks);
        var count = window.Add(ticks, Math.Max(1, attempts), newest - _findTicks, _now);
        if (evidence is { } kept)
        {
            window.Keep(kept);
        }

        if (count >= _maxRetry)
        {
            _windows.Remove(id);
            TakenEvidence = window.Matches();
        }

        return count;
    }

    /// <summary>Forgets an id (after a ban, or when a filter reports a success that forgives).</summary>
    public void Forget(string id) => _windows.Remove(id);

    /// <summary>
    /// Every failure still counted, one entry per attempt time (oldest first per id): what a
    /// store needs to resume the counts, for rewriting a lost state file from memory.
    /// </summary>
    public IEnumerable<(string Id, DateTimeOffset Time)> Counted() =>
        _windows.Entries.SelectMany(e => e.Value.Times().Select(t => (e.Key, new DateTimeOffset(t, TimeSpan.Zero))));

    /// <summary>Drops every id whose newest failure is older than <paramref name="now"/> minus findtime.</summary>
    /// <returns>How many ids were dropped.</returns>
    public int Evict(DateTimeOffset now) => _windows.EvictBefore(now.UtcTicks - _findTicks);

    /// <summary>One id's count and its kept lines.</summary>
    private abstract class Window(int maxMatches)
    {
        // Lines are kept as UTF-8: most ids never reach maxretry, and a burst of them holds their
        // lines for findtime (half the memory of the line strings, which can die young).
        private KeptLine[]? _lines;
        private int _lineCount;

        /// <summary>
        /// Adds <paramref name="attempts"/> failures at <paramref name="ticks"/> (UTC) and returns
        /// the id's count now; <paramref name="cutoff"/> is the start of the sliding window (the
        /// id's newest time minus findtime) and <paramref name="now"/> the newest time of any id.
        /// </summary>
        public abstract int Add(long ticks, int attempts, long cutoff, long now);

        /// <summary>Attempt times that, added again in order, give the same count (oldest first).</summary>
        public abstract IEnumerable<long> Times();

        public void Keep(EvidenceLine line)
        {
            if (maxMatches == 0)
            {
                return;
            }

            // The ring grows to maxMatches only for an id that keeps failing: most ids never
            // reach maxretry, and each slot is 32 bytes.
            if (_lines is null || (_lineCount == _lines.Length && _lines.Length < maxMatches))
            {
                Array.Resize(ref _lines, Math.Min(maxMatches, Math.Max(2, (_lines?.Length ?? 0) * 2)));
            }

            _lines[_lineCount % _lines.Length] = new KeptLine(line.Time, line.Source, System.Text.Encoding.UTF8.GetBytes(line.Line));
            _lineCount++;
        }

        public EvidenceLine[] Matches()
        {
            if (_lines is null)
            {
                return [];
            }

            // Oldest first, as fail2ban lists a ticket's matches.
            var size = _lines.Length;
            var n = Math.Min(_lineCount, size);
            var result = new EvidenceLine[n];
            for (var i = 0; i < n; i++)
            {
                var kept = _lines[(_lineCount - n + i) % size];
                result[i] = new EvidenceLine(kept.Time, kept.Source, System.Text.Encoding.UTF8.GetString(kept.Utf8));
            }

            return result;
        }

        private readonly record struct KeptLine(DateTimeOffset Time, string Source, byte[] Utf8);
    }

    /// <summary>Ring of the last maxretry attempt times (UTC ticks) of one id.</summary>
    private sealed class SlidingWindow(int size, int maxMatches) : Window(maxMatches)
    {
        // The ring grows to maxretry only for an id that keeps failing: most ids fail once or
        // twice, and a huge maxretry (100000000) must not cost its size in memory per id.
        private long[] _times = new long[Math.Min(size, 4)];
        private int _count;
        private int _next;

        /// <summary>Adds the attempts; returns how many of the kept ones are at or after the cutoff.</summary>
        public override int Add(long ticks, int attempts, long cutoff, long now)
        {
            for (var i = 0; i < attempts; i++)
            {
                if (_count == _times.Length && _times.Length < size)
                {
                    Grow();
                }

                _times[_next] = ticks;
                _next = (_next + 1) % _times.Length;
                _count = Math.Min(_count + 1, _times.Length);
            }

            var inside = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_times[i] >= cutoff)
                {
                    inside++;
                }
            }

            return inside;
        }

        // A full ring, oldest first into one twice its size (at most maxretry): 0.._count-1 after.
        private void Grow()
        {
            var grown = new long[(int)Math.Min(size, _times.Length * 2L)];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = _times[(_next + i) % _times.Length];
            }

            _next = _count;
            _times = grown;
        }

        public override IEnumerable<long> Times()
        {
            // Oldest first: the ring is full from _next on, else it holds 0.._count-1.
            var start = _count == _times.Length ? _next : 0;
            for (var i = 0; i < _count; i++)
            {
                yield return _times[(start + i) % _times.Length];
            }
        }
    }

    /// <summary>
    /// fail2ban's count of one id: first and last failure time and a retry count that
    /// FailTicket.adjustTime scales to the rate seen so far once the first failure leaves findtime.
    /// </summary>
    private sealed class Fail2BanWindow(long findTicks, int maxMatches) : Window(maxMatches)
    {
        private long _first;
        private long _last;
        private int _retry;

        public override int Add(long ticks, int attempts, long cutoff, long now)
        {
            // FailManager.cleanup drops an id whose last failure is findtime older than the
            // clock (it runs every few seconds); the next failure then starts a new ticket.
            if (_retry > 0 && _last <= now - findTicks)
            {
                _retry = 0;
            }

            if (_retry == 0)
            {
                _first = ticks;
                _last = ticks;
                _retry = attempts;
                return _retry;
            }

            if (ticks > _last)
            {
                if (_first < ticks - findTicks)
                {
                    // retry = round(retry / (time - firstTime) * maxTime) in seconds, as Python
                    // computes it: float division, then round half to even.
                    var seconds = (ticks - _first) / (double)TimeSpan.TicksPerSecond;
                    var find = findTicks / (double)TimeSpan.TicksPerSecond;
                    _retry = (int)Math.Round(_retry / seconds * find, MidpointRounding.ToEven);
                    _first = ticks - findTicks;
                }

                _last = ticks;
            }

            _retry += attempts;
            return _retry;
        }

        public override IEnumerable<long> Times()
        {
            // The first failure, then the rest at the last one: no rescaling happens on the way
            // (the first is within findtime of the last), so the count comes back. A first
            // failure exactly findtime before the last moves up by a tick, or it would be
            // taken for one the cleanup had dropped.
            if (_retry == 0)
            {
                yield break;
            }

            yield return _retry == 1 ? _last : Math.Max(_first, _last - findTicks + 1);
            for (var i = 1; i < _retry; i++)
            {
                yield return _last;
            }
        }
    }
}
