using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>The matchers of one pattern (see <see cref="RegexCompiler"/>). Immutable, thread-safe.</summary>
internal sealed class CompiledRegex(Regex first, Regex patient, Regex? screen)
{
    /// <summary>The pattern with its options, for diagnostics.</summary>
    public Regex Regex => first;

    /// <summary>
    /// Matches like Python's <c>re.search</c>; null when there is no match or every bounded
    /// attempt ran out of time (then <paramref name="timedOut"/> is set).
    /// </summary>
    public Match? Match(string input, out bool timedOut)
    {
        timedOut = false;
        try
        {
            var match = first.Match(input);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
        }

        if (screen is not null && !screen.IsMatch(input))
        {
            return null;
        }

        try
        {
            var match = patient.Match(input);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            timedOut = true;
            return null;
        }
    }
}
