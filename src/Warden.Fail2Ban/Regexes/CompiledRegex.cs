using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>The matchers of one pattern (see <see cref="RegexCompiler"/>); the fallbacks are built
/// on first need. Thread-safe.</summary>
internal sealed class CompiledRegex(Regex first, Func<Regex> patientFactory, Func<Regex?> screenFactory)
{
    private readonly Lazy<Regex> _patient = new(patientFactory, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<Regex?> _screen = new(screenFactory, LazyThreadSafetyMode.ExecutionAndPublication);

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

        if (_screen.Value is { } screen && !screen.IsMatch(input))
        {
            return null;
        }

        try
        {
            var match = _patient.Value.Match(input);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            timedOut = true;
            return null;
        }
    }
}
