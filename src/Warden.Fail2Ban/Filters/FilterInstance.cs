using Microsoft.Extensions.Logging;
using Warden.Core.Detections;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// A fail2ban filter at work for one jail: turns lines into <see cref="Detection"/>s. Keeps the
/// multi-line buffer, the MLFID cache and the date-template order between lines, so it belongs to
/// one jail and one thread (not thread-safe). Lines longer than <see cref="MaxLineLength"/> are
/// cut; a trailing CR/LF is dropped, as fail2ban does.
/// </summary>
public sealed partial class FilterInstance : ILineFilter
{
    /// <summary>Longest line looked at; the rest is ignored (bounded work per attacker-written line).</summary>
    public const int MaxLineLength = 8192;

    private static readonly HashSet<string> InternalKeys = new(StringComparer.Ordinal)
    {
        "ip4", "ip6", "dns", "fid", "cidr", "mlfid", "matches", "nofail-matches", "nofail", "mlfgained", "mlfpending", "mlfforget", "ip", "users",
    };

    private readonly FilterCore _core;
    private readonly LineScreen _screen;
    private readonly List<RawFailure> _raw = [];
    private readonly ILogger? _log;

    internal FilterInstance(FilterDefinition definition, FilterBehavior behavior, ILogger? log)
    {
        Definition = definition;
        _core = new FilterCore(definition, behavior);
        _screen = new LineScreen(definition);
        _log = log;
    }

    /// <summary>The definition this matcher runs.</summary>
    public FilterDefinition Definition { get; }

    /// <summary>Lines, matches, ignores, regex timeouts and hits per regex so far.</summary>
    public FilterCounters Counters => _core.Counters;

    /// <inheritdoc />
    public void Process(string line, ICollection<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(detections);
        if (Screen(line, line) is { } candidate)
        {
            var limitHits = _core.Counters.RegexLimitHits;
            _raw.Clear();
            Run(candidate, _raw);
            AddDetections(detections);
            if (_log is not null && _core.Counters.RegexLimitHits != limitHits)
            {
                // The line is attacker-written: its length, never its text.
                LogLimitHit(_log, Definition.Name, candidate.Line.Length);
            }
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Filter {Filter}: a line of {Length} characters stopped a regex at its PCRE2 limit (counted in regex_limit_hits; the line is not logged); the jail goes on")]
    private static partial void LogLimitHit(ILogger logger, string filter, int length);

    /// <summary>
    /// Processes a message whose time is known from its source (a journal entry's timestamp):
    /// no date is looked for in the text.
    /// </summary>
    public void Process(string message, DateTimeOffset time, ICollection<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(detections);
        _raw.Clear();
        ProcessRaw(message, time.ToUnixTimeMilliseconds() / 1000.0, _raw);
        AddDetections(detections);
    }

    /// <summary>
    /// Stage one of a line (date and literal screen; cheap, allocation-free for lines that cannot
    /// match): null when the line is done (missed), else what stage two needs. Counts the line.
    /// </summary>
    internal CandidateLine? Screen(ReadOnlySpan<char> line, string? original = null)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is '\r' or '\n')
        {
            end--;
        }

        line = line[..Math.Min(end, MaxLineLength)];
        _core.Counters.AddLine();
        if (_screen.TryReject(line))
        {
            return null;
        }

        var text = original is not null && original.Length == line.Length ? original : line.ToString();
        var rejected = _screen.TakeRejected();
        var hit = _screen.Locate(text);
        var possible = _screen.TakePossible();
        return new CandidateLine(text, hit, rejected, possible, _screen.RunPrefRegex(text, hit, possible));
    }

    /// <summary>
    /// Stage two as fail2ban-regex counts a line: ignored when an ignoreregex or a helper
    /// (F-NOFAIL) match set it aside, matched when a failregex matched (even before its id is
    /// known), else missed. Failures with an id go to <paramref name="failures"/> with their time
    /// and the index of the regex that found each; nothing else of a detection (fields, line
    /// text) is made, since fail2ban-regex's counts do not need it.
    /// </summary>
    internal LineOutcome Classify(CandidateLine candidate, List<(string Id, DateTimeOffset Time, int Regex)> failures)
    {
        _raw.Clear();
        failures.Clear();
        Run(candidate, _raw);
        var ignored = _core.LastLineIgnored;
        var matched = false;
        foreach (var failure in _raw)
        {
            if (failure.Data.IsTrue("nofail"))
            {
                ignored = true;
                continue;
            }

            matched = true;
            if (failure.Id is { } id)
            {
                failures.Add((id.Text, TimeOf(failure), failure.RegexIndex));
            }
        }

        return ignored ? LineOutcome.Ignored : matched ? LineOutcome.Matched : LineOutcome.Missed;
    }

    /// <summary>Runs one line and returns fail2ban's raw results, helper matches included (conformance tests).</summary>
    /// <param name="line">The line, without its newline.</param>
    /// <param name="knownTime">Seconds since the epoch when the source knows the time (journal), else null.</param>
    /// <param name="failures">Receives the results.</param>
    internal void ProcessRaw(string line, double? knownTime, List<RawFailure> failures)
    {
        if (knownTime is { } time)
        {
            _core.Counters.AddLine();
            _ = _screen.TakeRejected();
            var before = failures.Count;
            _core.ProcessLine(TupleLine.Undated(Bound(line)), time, failures);
            Count(failures, before);
        }
        else if (Screen(line, line) is { } candidate)
        {
            Run(candidate, failures);
        }
    }

    private void Run(CandidateLine candidate, List<RawFailure> failures)
    {
        var before = failures.Count;
        _core.Finish(candidate.Line, candidate.Hit, candidate.RejectedBefore, failures, candidate.Possible, candidate.Pref);
        Count(failures, before);
    }

    private void Count(List<RawFailure> failures, int before)
    {
        var counted = false;
        for (var i = before; i < failures.Count; i++)
        {
            if (!failures[i].IsNoFailure)
            {
                _core.Counters.AddHit(failures[i].RegexIndex);
                counted = true;
            }
        }

        if (counted)
        {
            _core.Counters.AddMatched();
        }
        else if (_core.LastLineIgnored)
        {
            _core.Counters.AddIgnored();
        }
    }

    private void AddDetections(ICollection<Detection> detections)
    {
        foreach (var failure in _raw)
        {
            if (!failure.IsNoFailure)
            {
                detections.Add(ToDetection(failure));
            }
        }
    }

    private static string Bound(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is '\r' or '\n')
        {
            end--;
        }

        return end > MaxLineLength ? line[..MaxLineLength] : end < line.Length ? line[..end] : line;
    }

    private DateTimeOffset TimeOf(RawFailure failure) => failure.Time is { } seconds
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
        : Definition.Time.GetUtcNow();

    private Detection ToDetection(RawFailure failure)
    {
        var id = failure.Id!.Value;
        var address = id.Address;
        if (address is null && failure.Data["ip"] is FailureId { Address: { } ip })
        {
            address = ip;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in failure.Data.Items)
        {
            if (value is string text && !InternalKeys.Contains(key))
            {
                fields[key] = text;
            }
        }

        if (failure.Data["users"] is HashSet<string> { Count: > 0 } users)
        {
            fields["users"] = string.Join(',', users.Order(StringComparer.Ordinal));
        }

        var matches = failure.Data.Matches;
        return new Detection(
            id.Text,
            address,
            TimeOf(failure),
            matches.Count > 0 ? string.Join('\n', matches.Select(m => m.Whole)) : string.Empty,
            fields.Count == 0 ? Detection.NoFields : fields);
    }
}
