using System.Text;
using Warden.Fail2Ban.Pcre2;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// A translated pattern on PCRE2, matched like Python's <c>re.search</c>. Log lines are
/// attacker-controlled: a match costs at most PCRE2's match, depth and heap limits
/// (<see cref="MatchScratch"/>), and a line that reaches one is reported as such, not as a miss.
/// Immutable and thread-safe.
/// </summary>
internal sealed class CompiledRegex
{
    private CompiledRegex(Pcre2Pattern pattern) => Pattern = pattern;

    /// <summary>The compiled pattern.</summary>
    public Pcre2Pattern Pattern { get; }

    /// <summary>Compiles a translated pattern, with <c>PCRE2_MULTILINE</c> too when <paramref name="multiline"/>.</summary>
    /// <exception cref="ArgumentException">PCRE2 refused the pattern; the message says why.</exception>
    public static CompiledRegex Compile(Pcre2Translation translated, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(translated);
        return new CompiledRegex(Pcre2Pattern.Compile(translated.Pattern, translated.Options | (multiline ? LibPcre2.Multiline : 0)));
    }

    /// <summary>
    /// Searches <paramref name="input"/>; null when there is no match or a limit stopped the
    /// search (then <paramref name="limitHit"/> is set).
    /// </summary>
    public RegexMatch? Match(string input, out bool limitHit) => Match(input, 0, out limitHit);

    /// <summary>
    /// Searches <paramref name="input"/> from character <paramref name="start"/> (Python's
    /// <c>search(s, pos)</c>); null when there is no match or a limit stopped the search.
    /// </summary>
    public RegexMatch? Match(string input, int start, out bool limitHit)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, input.Length);
        var scratch = MatchScratch.Current;
        var subject = scratch.Encode(input);
        var startByte = start == 0 || subject.Length == input.Length ? start : Encoding.UTF8.GetByteCount(input.AsSpan(0, start));
        var rc = Pattern.Match(subject, scratch, startByte);
        limitHit = rc < LibPcre2.ErrorNoMatch || rc == 0;
        return rc > 0 ? RegexMatch.From(input, subject, scratch, Pattern.CaptureCount) : null;
    }

    /// <summary>True when <paramref name="input"/> contains a match; a limit stopping the search counts as none.</summary>
    public bool IsMatch(string input) => Match(input, out _) is not null;
}
