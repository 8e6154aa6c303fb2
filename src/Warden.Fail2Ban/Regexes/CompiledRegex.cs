using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// The matchers of one pattern (see <see cref="RegexCompiler"/>). Only the first, short-budget
/// matcher is built up front (it also proves the pattern valid); the patient matcher and the
/// linear-time screen are needed only after a time-out, which ordinary lines never reach, and the
/// screen's construction (a symbolic automaton) costs milliseconds to tens of milliseconds per
/// pattern: built eagerly, it dominated loading a filter and so `warden check` and start-up.
/// Immutable, thread-safe.
/// </summary>
internal sealed class CompiledRegex(Regex first, Func<Regex> patient, Func<Regex?> screen)
{
    private readonly Lazy<Regex> _patient = new(patient, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<Regex?> _screen = new(screen, LazyThreadSafetyMode.ExecutionAndPublication);

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
