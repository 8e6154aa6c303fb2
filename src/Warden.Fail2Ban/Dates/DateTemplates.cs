using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Builds and caches date templates (server/datedetector.py <c>_getPatternTemplate</c>,
/// <c>_getAnchoredTemplate</c>, <c>DateDetectorCache</c>) and holds fail2ban's default list.
/// Templates are shared by every detector of the process (they are immutable); thread-safe.
/// </summary>
internal static partial class DateTemplates
{
    /// <summary>fail2ban's default templates, in its order (datedetector.py DEFAULT_TEMPLATES).</summary>
    private static readonly string[] DefaultPatterns =
    [
        @"%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?",
        @"(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?",
        @"(?:%a )?%b %d %ExY %k:%M:%S(?:\.%f)?",
        @"%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S",
        @"%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?",
        @"%m/%d/%ExY:%H:%M:%S",
        @"%m-%d-%ExY %k:%M:%S(?:\.%f)?",
        "EPOCH",
        "{^LN-BEG}%H:%M:%S",
        "^<%m/%d/%Exy@%H:%M:%S>",
        "%Exy%Exm%Exd  ?%H:%M:%S",
        "%b %d, %ExY %I:%M:%S %p",
        "^%b-%d-%Exy %k:%M:%S",
        @"%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\s*%z)?",
        @"(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?",
        @"(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?",
        "TAI64N",
    ];

    private static readonly ConcurrentDictionary<string, DateTemplate> Cache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, (DateTemplate[] Defaults, DateTemplate[] All)> DefaultSets = new();

    /// <summary>The 17 default templates (unanchored), for a given current year.</summary>
    public static IReadOnlyList<DateTemplate> Defaults(int year) => DefaultSet(year).Defaults;

    /// <summary>
    /// The full default list a detector uses: a line-start-anchored copy (weight 100) of each
    /// default that is not anchored already, then the defaults themselves.
    /// </summary>
    public static IReadOnlyList<DateTemplate> All(int year) => DefaultSet(year).All;

    /// <summary>datedetector.py _getPatternTemplate.</summary>
    /// <exception cref="FormatException">The pattern has an unknown directive.</exception>
    public static DateTemplate ForPattern(string pattern, int year, string? key = null)
    {
        key ??= pattern.Contains('%', StringComparison.Ordinal) ? pattern : pattern.ToUpperInvariant();
        var cacheKey = year.ToString(CultureInfo.InvariantCulture) + "\0" + key;
        if (Cache.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        DateTemplate? template = null;
        if (key.Contains("EPOCH", StringComparison.Ordinal))
        {
            if (EpochDateTemplate.EpochMark().IsMatch(pattern))
            {
                template = new EpochDateTemplate(pattern: pattern, longForm: key.Contains("LEPOCH", StringComparison.Ordinal));
            }
            else if (key is "EPOCH" or "{^LN-BEG}EPOCH" or "^EPOCH")
            {
                template = new EpochDateTemplate(lineBeginOnly: key != "EPOCH");
            }
            else if (key is "LEPOCH" or "{^LN-BEG}LEPOCH" or "^LEPOCH")
            {
                template = new EpochDateTemplate(lineBeginOnly: key != "LEPOCH", longForm: true);
            }
        }

        template ??= key is "TAI64N" or "{^LN-BEG}TAI64N" or "^TAI64N"
            ? new Tai64nDateTemplate(lineBegin: key != "TAI64N")
            : new PatternDateTemplate(pattern, year);
        return Cache.GetOrAdd(cacheKey, template);
    }

    /// <summary>datedetector.py _getAnchoredTemplate: a copy of <paramref name="template"/> with its pattern wrapped.</summary>
    public static DateTemplate Wrapped(DateTemplate template, Func<string, string> wrap, int year)
    {
        var name = wrap(template.Name);
        return template.Pattern is { } pattern ? ForPattern(wrap(pattern), year) : ForPattern(name, year);
    }

    /// <summary>Replaces {DATE} in <paramref name="preMatch"/> with <paramref name="pattern"/> freed of its bounds.</summary>
    public static string ReplaceDate(string preMatch, string pattern) =>
        DateMark().Replace(preMatch, _ => TemplateRegex.Unbound(pattern));

    /// <summary>True when a datepattern holds {DATE}.</summary>
    public static bool HasDateMark(string pattern) => DateMark().IsMatch(pattern);

    private static (DateTemplate[] Defaults, DateTemplate[] All) DefaultSet(int year) => DefaultSets.GetOrAdd(year, y =>
    {
        var defaults = DefaultPatterns.Select(p => ForPattern(p, y)).ToArray();
        var anchored = new List<DateTemplate>();
        foreach (var template in defaults)
        {
            if (template.Name.StartsWith("{^LN-BEG}", StringComparison.Ordinal) || template.Name.StartsWith('^'))
            {
                continue;
            }

            var copy = Wrapped(template, s => "{^LN-BEG}" + s, y);
            if (copy.Name != template.Name)
            {
                copy.Weight = 100.0;
                anchored.Add(copy);
            }
        }

        return (defaults, [.. anchored, .. defaults]);
    });

    // datedetector.py RE_DATE_PREMATCH.
    [GeneratedRegex(@"(?<!\\)\{DATE\}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateMark();
}
