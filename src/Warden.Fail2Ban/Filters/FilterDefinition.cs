using Microsoft.Extensions.Logging;
using Warden.Fail2Ban.Dates;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// A loaded and compiled fail2ban filter: its regexes (compiled once, at load), date patterns,
/// multi-line settings and journal matches. Immutable and thread-safe; each jail gets its own
/// stateful matcher from <see cref="CreateFilter()"/>.
/// </summary>
public sealed class FilterDefinition
{
    internal FilterDefinition(
        string name,
        IReadOnlyList<string> files,
        FilterRegex? prefRegex,
        IReadOnlyList<FilterRegex> failRegexes,
        IReadOnlyList<FilterRegex> ignoreRegexes,
        int maxLines,
        IReadOnlyList<string> datePatterns,
        IReadOnlyList<string> journalMatch,
        int? logTimeZoneMinutes,
        TimeProvider time)
    {
        Name = name;
        Files = files;
        PrefRegex = prefRegex;
        FailRegexes = failRegexes;
        IgnoreRegexes = ignoreRegexes;
        MaxLines = maxLines;
        DatePatterns = datePatterns;
        JournalMatch = journalMatch;
        LogTimeZoneMinutes = logTimeZoneMinutes;
        Time = time;
        Prefilter = LinePrefilter.Create(this);
    }

    /// <summary>The filter's name as referenced (<c>sshd</c>), or the regex for a literal-regex filter.</summary>
    public string Name { get; }

    /// <summary>The files it was read from, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The failregexes as configured (after interpolation), in order; hit counts use the same indexes.</summary>
    public IReadOnlyList<string> FailRegexTexts => [.. FailRegexes.Select(r => r.Configured)];

    /// <summary>The ignoreregexes as configured.</summary>
    public IReadOnlyList<string> IgnoreRegexTexts => [.. IgnoreRegexes.Select(r => r.Configured)];

    /// <summary>The prefregex, or null.</summary>
    public string? PrefRegexText => PrefRegex?.Configured;

    /// <summary>Lines buffered for multi-line regexes (maxlines).</summary>
    public int MaxLines { get; }

    /// <summary>The datepattern lines; empty means fail2ban's default templates.</summary>
    public IReadOnlyList<string> DatePatterns { get; }

    /// <summary>journalmatch lines (each a space-separated list of FIELD=value terms, '+' meaning OR), for a journal source.</summary>
    public IReadOnlyList<string> JournalMatch { get; }

    internal FilterRegex? PrefRegex { get; }

    internal IReadOnlyList<FilterRegex> FailRegexes { get; }

    internal IReadOnlyList<FilterRegex> IgnoreRegexes { get; }

    internal int? LogTimeZoneMinutes { get; }

    /// <summary>The literal screen shared by every instance, or null when it cannot be sound.</summary>
    internal LinePrefilter? Prefilter { get; }

    internal TimeProvider Time { get; }

    /// <summary>A fresh matcher for one jail (fail2ban's daemon behaviour: first matching regex wins).</summary>
    public FilterInstance CreateFilter() => new(this, FilterBehavior.Daemon, null);

    /// <summary>A fresh matcher for one jail that logs lines stopped at a regex limit (without their text) to <paramref name="log"/>.</summary>
    public FilterInstance CreateFilter(ILogger log) => new(this, FilterBehavior.Daemon, log);

    /// <summary>A fresh matcher with explicit behaviour (fail2ban-regex and conformance tests).</summary>
    public FilterInstance CreateFilter(FilterBehavior behavior) => new(this, behavior, null);

    internal DateDetector CreateDateDetector()
    {
        var detector = new DateDetector(TimeZoneInfo.ConvertTime(Time.GetUtcNow(), Time.LocalTimeZone).Year);
        foreach (var pattern in DatePatterns)
        {
            detector.Append(pattern);
        }

        return detector;
    }
}
