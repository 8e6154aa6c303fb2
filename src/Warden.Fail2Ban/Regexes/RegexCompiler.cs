using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Compiles translated patterns for log lines, which are attacker-controlled: the
/// non-backtracking engine (linear time) whenever the pattern allows it, otherwise the
/// backtracking interpreter with a match timeout. (In Native AOT RegexOptions.Compiled is
/// ignored, so it is not asked for.)
/// </summary>
internal static class RegexCompiler
{
    /// <summary>Longest a single backtracking match may run.</summary>
    public static TimeSpan MatchTimeout { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>When set (tests, diagnosis), never use the non-backtracking engine.</summary>
    public static bool BacktrackingOnly { get; set; } = Environment.GetEnvironmentVariable("WARDEN_REGEX_BACKTRACKING") == "1";

    /// <exception cref="ArgumentException">The pattern is not valid for .NET.</exception>
    public static Regex Compile(TranslatedRegex translated, RegexOptions extra = RegexOptions.None)
    {
        ArgumentNullException.ThrowIfNull(translated);
        var options = translated.Options | extra | RegexOptions.CultureInvariant;
        if (!BacktrackingOnly)
        {
            try
            {
                return new Regex(translated.Pattern, options | RegexOptions.NonBacktracking);
            }
            catch (NotSupportedException)
            {
                // Look-arounds, backreferences, conditionals or atomic groups: backtracking it is.
            }
        }

        return new Regex(translated.Pattern, options, MatchTimeout);
    }
}
