using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Compiles translated patterns for log lines, which are attacker-controlled. Matching uses the
/// backtracking interpreter, the only .NET engine that reproduces Python's leftmost-first capture
/// semantics (which group an alternation or a lazy quantifier fills), first with a short time
/// budget. A line that exhausts it is suspect: the non-backtracking engine (linear time) then
/// decides whether there is a match at all, and only a line it accepts gets the longer budget.
/// Patterns the non-backtracking engine refuses (look-arounds, backreferences, conditionals)
/// have the timeouts alone. (In Native AOT RegexOptions.Compiled is ignored, so it is not asked for.)
/// </summary>
internal static class RegexCompiler
{
    /// <summary>Budget of the first, ordinary attempt.</summary>
    public static TimeSpan FirstTimeout { get; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Longest a match the linear-time screen accepted may run.</summary>
    public static TimeSpan MatchTimeout { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Compiles the matchers of one pattern.</summary>
    /// <exception cref="ArgumentException">The pattern is not valid for .NET.</exception>
    public static CompiledRegex Compile(TranslatedRegex translated, RegexOptions extra = RegexOptions.None)
    {
        ArgumentNullException.ThrowIfNull(translated);
        var options = translated.Options | extra | RegexOptions.CultureInvariant;
        var first = PrecompiledRegexes.Find(translated.Pattern, options) ?? ShippedRegexes.Find(translated.Pattern, options)
            ?? new Regex(translated.Pattern, options, FirstTimeout);

        // The others are only needed once a line has exhausted the first budget: built then.
        return new CompiledRegex(first, () => new Regex(translated.Pattern, options, MatchTimeout), () => Screen(translated.Pattern, options));
    }

    private static Regex? Screen(string pattern, RegexOptions options)
    {
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking | RegexOptions.ExplicitCapture);
        }
        catch (NotSupportedException)
        {
            // Look-arounds, backreferences, conditionals or atomic groups: timeouts only.
            return null;
        }
    }
}
