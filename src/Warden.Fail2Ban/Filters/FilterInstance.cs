using Warden.Core.Detection;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// A fail2ban filter at work for one jail: turns lines into <see cref="Detection"/>s. Keeps the
/// multi-line buffer, the MLFID cache and the date-template order between lines, so it belongs to
/// one jail and one thread (not thread-safe). Lines longer than <see cref="MaxLineLength"/> are cut.
/// </summary>
public sealed class FilterInstance : ILineFilter
{
    /// <summary>Longest line looked at; the rest is ignored (bounded work per attacker-written line).</summary>
    public const int MaxLineLength = 8192;

    private static readonly HashSet<string> InternalKeys = new(StringComparer.Ordinal)
    {
        "ip4", "ip6", "dns", "fid", "cidr", "mlfid", "matches", "nofail-matches", "nofail", "mlfgained", "mlfpending", "mlfforget", "ip", "users",
    };

    private readonly FilterCore _core;
    private readonly List<RawFailure> _raw = [];

    internal FilterInstance(FilterDefinition definition, FilterBehavior behavior)
    {
        Definition = definition;
        _core = new FilterCore(definition, behavior);
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
        if (TryReject(line))
        {
            return;
        }

        _raw.Clear();
        ProcessRaw(line, null, _raw);
        foreach (var failure in _raw)
        {
            if (!failure.IsNoFailure)
            {
                detections.Add(ToDetection(failure));
            }
        }
    }

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
        foreach (var failure in _raw)
        {
            if (!failure.IsNoFailure)
            {
                detections.Add(ToDetection(failure));
            }
        }
    }

    /// <summary>The span form of <see cref="ProcessForTest(string, List{Detection}, List{int})"/>: a line
    /// that cannot match costs no allocation.</summary>
    internal LineOutcome ProcessForTest(ReadOnlySpan<char> line, List<Detection> detections, List<int> regexes)
    {
        if (TryReject(line))
        {
            regexes.Clear();
            return LineOutcome.Missed;
        }

        return ProcessForTest(line.ToString(), detections, regexes);
    }

    /// <summary>
    /// Processes a line as fail2ban-regex counts it: ignored when an ignoreregex or a helper
    /// (F-NOFAIL) match set it aside, matched when a failregex matched (even before its id is
    /// known), else missed. Failures with an id go to <paramref name="detections"/>, the index of
    /// the regex that found each to <paramref name="regexes"/>.
    /// </summary>
    internal LineOutcome ProcessForTest(string line, List<Detection> detections, List<int> regexes)
    {
        _raw.Clear();
        regexes.Clear();
        ProcessRaw(line, null, _raw);
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
            if (failure.Id is not null)
            {
                detections.Add(ToDetection(failure));
                regexes.Add(failure.RegexIndex);
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
        line = Bound(line);
        var before = failures.Count;
        _core.Counters.AddLine();
        if (knownTime is { } time)
        {
            _core.ProcessLine(new TupleLine(string.Empty, string.Empty, line), time, failures);
        }
        else
        {
            _core.ProcessLine(line, failures);
        }

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

    // The fast rejection: the line is counted here; otherwise the caller runs the full path, which counts it.
    private bool TryReject(ReadOnlySpan<char> line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is '\r' or '\n')
        {
            end--;
        }

        if (!_core.TryReject(line[..Math.Min(end, MaxLineLength)]))
        {
            return false;
        }

        _core.Counters.AddLine();
        return true;
    }

    private static string Bound(string line)
    {
        // fail2ban strips the line end (a file written by sshd -E ends lines with \r\n).
        var end = line.Length;
        while (end > 0 && line[end - 1] is '\r' or '\n')
        {
            end--;
        }

        return end > MaxLineLength ? line[..MaxLineLength] : end < line.Length ? line[..end] : line;
    }

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

        var time = failure.Time is { } seconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : Definition.Time.GetUtcNow();
        var matches = failure.Data.Matches;
        return new Detection(
            id.Text,
            address,
            time,
            matches.Count > 0 ? string.Join('\n', matches.Select(m => m.Whole)) : string.Empty,
            fields.Count == 0 ? Detection.NoFields : fields);
    }
}
