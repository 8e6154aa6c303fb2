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
internal sealed partial class LinePrefilter
{
    private const int MaxRegexes = 63;
    private readonly SearchValues<string> _any;
    private readonly (string[] Literals, StringComparison Comparison)[] _perRegex;
    private readonly int _failRegexes;
    private readonly int _longest;

    private LinePrefilter(SearchValues<string> any, (string[], StringComparison)[] perRegex, int failRegexes, int longest)
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

        var perRegex = new (string[], StringComparison)[regexes.Count];
        var all = new List<string>();
        var ignoreCase = false;
        for (var i = 0; i < regexes.Count; i++)
        {
            var regex = regexes[i];
            if (regex.IgnorePatternWhitespace || InlineVerbose().IsMatch(regex.Pattern))
            {
                return null;
            }

            var literals = RequiredLiterals.Find(regex.Pattern);
            if (literals is null)
            {
                return null;
            }

            var caseless = regex.IgnoreCase || InlineIgnoreCase().IsMatch(regex.Pattern);
            ignoreCase |= caseless;
            all.AddRange(literals);
            perRegex[i] = ([.. literals], caseless ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }

        var distinct = all.Distinct(StringComparer.Ordinal).ToArray();
        var any = SearchValues.Create(distinct, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return new LinePrefilter(any, perRegex, definition.FailRegexes.Count, distinct.Max(s => s.Length));
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
        var (literals, comparison) = _perRegex[index];
        foreach (var literal in literals)
        {
            if (text.Contains(literal, comparison))
            {
                return true;
            }
        }

        return false;
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

    [GeneratedRegex(@"\(\?[a-z]*i[a-z-]*[:)]")]
    private static partial Regex InlineIgnoreCase();

    [GeneratedRegex(@"\(\?[a-z]*x[a-z-]*[:)]")]
    private static partial Regex InlineVerbose();
}
