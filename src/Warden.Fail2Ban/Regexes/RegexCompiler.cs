using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Compiles translated patterns for log lines, which are attacker-controlled. A pattern gets two
/// engines when it can: the non-backtracking engine (linear time) answers "is there a match at
/// all", which rejects the common non-matching line at bounded cost; the backtracking interpreter,
/// with a match timeout, then produces the match itself, because only it reproduces Python's
/// leftmost-first capture semantics (which group an alternation or a lazy quantifier fills).
/// Patterns the non-backtracking engine refuses (look-arounds, backreferences, conditionals)
/// rely on the timeout alone. In Native AOT RegexOptions.Compiled is ignored, so it is not asked for.
/// </summary>
internal static class RegexCompiler
{
    /// <summary>Longest a single backtracking match may run.</summary>
    public static TimeSpan MatchTimeout { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>When set (diagnosis), never build the non-backtracking screen.</summary>
    public static bool BacktrackingOnly { get; set; } = Environment.GetEnvironmentVariable("WARDEN_REGEX_BACKTRACKING") == "1";

    /// <summary>Compiles the exact (backtracking) regex and, when possible, its linear-time screen.</summary>
    /// <exception cref="ArgumentException">The pattern is not valid for .NET.</exception>
    public static (Regex Exact, Regex? Screen) Compile(TranslatedRegex translated, RegexOptions extra = RegexOptions.None)
    {
        ArgumentNullException.ThrowIfNull(translated);
        var options = translated.Options | extra | RegexOptions.CultureInvariant;
        var exact = new Regex(translated.Pattern, options, MatchTimeout);
        Regex? screen = null;
        if (!BacktrackingOnly)
        {
            try
            {
                screen = new Regex(translated.Pattern, options | RegexOptions.NonBacktracking | RegexOptions.ExplicitCapture);
            }
            catch (NotSupportedException)
            {
                // Look-arounds, backreferences, conditionals or atomic groups: timeout only.
            }
        }

        return (exact, screen);
    }
}
