using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Finds literal texts that every match of a .NET pattern must contain, so that a line lacking
/// them can be passed over without running the regex (most log lines match no failregex). The
/// result is a conjunction of factors, each a set of alternatives: a match contains at least one
/// alternative of every factor. The analysis is conservative: any construct it does not model
/// (classes, escapes for character kinds, back-references, options it cannot follow) counts as
/// "any text", which only makes the factors weaker, never wrong; a pattern it cannot read at all
/// yields no factors. Case-insensitive parts keep only characters whose .NET case equivalents are
/// exactly their ASCII upper and lower case (not k, s, i: Kelvin sign, long s, dotted I). Pure.
/// </summary>
internal static class RequiredLiterals
{
    /// <summary>Most alternatives a factor or an exact set may hold.</summary>
    internal const int MaxAlternatives = 24;

    /// <summary>Factors whose shortest alternative is shorter than this are dropped (they filter nothing).</summary>
    internal const int MinLength = 3;

    /// <summary>The factors of <paramref name="pattern"/>, strongest first; empty when none is known.</summary>
    public static IReadOnlyList<LiteralFactor> Find(string pattern, RegexOptions options)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if ((options & (RegexOptions.IgnorePatternWhitespace | RegexOptions.RightToLeft | RegexOptions.ECMAScript)) != 0)
        {
            return [];
        }

        LiteralInfo info;
        try
        {
            var parser = new LiteralParser(pattern, (options & RegexOptions.IgnoreCase) != 0);
            info = parser.ParseAll();
        }
        catch (FormatException)
        {
            return [];
        }

        return [.. info.AllFactors()
            .Where(f => f.Alternatives.All(a => a.Length >= MinLength))
            .Distinct()
            .OrderByDescending(f => f.Alternatives.Min(a => a.Length))
            .ThenBy(f => f.Alternatives.Count)];
    }
}
