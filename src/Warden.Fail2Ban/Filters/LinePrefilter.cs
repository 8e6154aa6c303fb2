using System.Buffers;
using System.Text.RegularExpressions;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// Decides cheaply, from literals every match must contain (<see cref="RequiredLiterals"/>),
/// which failregexes could match a line; a line none could match skips the regex engine
/// altogether. Literals are looked for in the line as the regexes see it, the date cut out
/// (including a literal formed across the cut, such as "[]" in an access log). Built only when
/// every failregex has such literals and lines are judged one at a time (maxlines = 1), and, when
/// ignoreregexes run before the failregexes, for those too. Immutable, thread-safe.
/// </summary>
internal sealed class LinePrefilter
{
    private const int MaxRegexes = 63;

    /// <summary>Factors checked per regex (the strongest first); each is one vectorised scan.</summary>
    private const int MaxFactors = 3;

    private readonly SearchValues<string> _any;
    private readonly SearchValues<string>[][] _perRegex;
    private readonly int _failRegexes;
    private readonly int _longest;

    private LinePrefilter(SearchValues<string> any, SearchValues<string>[][] perRegex, int failRegexes, int longest)
    {
        _any = any;
        _perRegex = perRegex;
        _failRegexes = failRegexes;
        _longest = longest;
    }

    /// <summary>A prefilter for the definition, or null when one cannot be sound.</summary>
    public static LinePrefilter? Create(FilterDefinition definition)
    {
        if (definition.MaxLines > 1 || definition.FailRegexes.Count > MaxRegexes)
        {
            return null;
        }

        var regexes = new List<FilterRegex>(definition.FailRegexes);
        var ignores = definition.IgnoreRegexes;
        if (ignores.Count > 0 && ignores.Count < definition.FailRegexes.Count - 2)
        {
            // fail2ban runs these before anything else, and the line counts as ignored: keep them reachable.
            regexes.AddRange(ignores);
        }

        // A regex may only be skipped when every one of its factors is absent from the text
        // (a conjunction: "Invalid user" and " from "), which rejects far more lines than its
        // single best literal; the first scan looks for the best factor of any regex.
        var perRegex = new SearchValues<string>[regexes.Count][];
        var first = new List<LiteralFactor>();
        for (var i = 0; i < regexes.Count; i++)
        {
            var regex = regexes[i];
            var options = (regex.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None)
                | (regex.IgnorePatternWhitespace ? RegexOptions.IgnorePatternWhitespace : RegexOptions.None);
            var factors = RequiredLiterals.Find(regex.Pattern, options);
            if (factors.Count == 0)
            {
                return null;
            }

            first.Add(factors[0]);
            perRegex[i] = [.. factors.Take(MaxFactors).Select(Values)];
        }

        var any = Values(new LiteralFactor(first.SelectMany(f => f.Alternatives), first.Any(f => f.IgnoreCase)));
        return new LinePrefilter(any, perRegex, definition.FailRegexes.Count, first.Max(f => f.Alternatives.Max(a => a.Length)));
    }

    /// <summary>True when some regex could match the line with <c>[cutStart, cutEnd)</c> removed.</summary>
    public bool MayMatch(ReadOnlySpan<char> line, int cutStart, int cutEnd)
    {
        if (cutEnd <= cutStart)
        {
            return line.IndexOfAny(_any) >= 0;
        }

        var before = line[..cutStart];
        var after = line[cutEnd..];
        if (after.IndexOfAny(_any) >= 0 || before.IndexOfAny(_any) >= 0)
        {
            return true;
        }

        if (before.IsEmpty || _longest < 2)
        {
            return false;
        }

        Span<char> joint = stackalloc char[2 * (_longest - 1)];
        var head = before[Math.Max(0, before.Length - (_longest - 1))..];
        var tail = after[..Math.Min(after.Length, _longest - 1)];
        head.CopyTo(joint);
        tail.CopyTo(joint[head.Length..]);
        return joint[..(head.Length + tail.Length)].IndexOfAny(_any) >= 0;
    }

    /// <summary>True when failregex <paramref name="index"/> could match <paramref name="text"/> (the line, date removed).</summary>
    public bool Possible(int index, string text)
    {
        foreach (var factor in _perRegex[index])
        {
            if (text.AsSpan().IndexOfAny(factor) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when an ignoreregex that runs before the failregexes could match <paramref name="text"/>.</summary>
    public bool IgnorePossible(string text)
    {
        for (var i = _failRegexes; i < _perRegex.Length; i++)
        {
            if (Possible(i, text))
            {
                return true;
            }
        }

        return false;
    }

    private static SearchValues<string> Values(LiteralFactor factor) =>
        SearchValues.Create([.. factor.Alternatives], factor.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
