using Warden.Fail2Ban.Pcre2;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// One compiled failregex, ignoreregex or prefregex (server/failregex.py <c>Regex</c>): the
/// configured text with fail2ban's tags expanded, translated to PCRE2, compiled once; the named
/// groups in Python order, and the ALT_/TUPLE_ groups merged into their target. Immutable and
/// thread-safe; matching state lives in the caller.
/// </summary>
internal sealed class FilterRegex
{
    private static readonly string[] FailureIdGroups = ["fid", "ip4", "ip6", "dns", "mlfid"];

    private FilterRegex(string configured, string expanded, CompiledRegex regex, string? pattern, string[] names, int skipLines)
    {
        Configured = configured;
        Expanded = expanded;
        Regex = regex;
        Pattern = pattern;
        Names = names;
        SkipLinesGroups = skipLines;
        var alt = new List<(string, string)>();
        var tuple = new List<(string, string)>();
        foreach (var name in names)
        {
            if (name.StartsWith("alt_", StringComparison.Ordinal) && name.Length > 4)
            {
                alt.Add((name, FilterTags.GroupName(TrimIndex(name[4..]))));
            }
            else if (name.StartsWith("tuple_", StringComparison.Ordinal) && name.Length > 6)
            {
                tuple.Add((name, FilterTags.GroupName(TrimIndex(name[6..]))));
            }
        }

        alt.Sort();
        tuple.Sort();
        AltGroups = [.. alt];
        TupleGroups = [.. tuple];
        GroupNumbers = [.. names.Select(regex.Pattern.GroupNumber)];
        SkipLinesNumbers = [.. Enumerable.Range(0, skipLines).Select(i => regex.Pattern.GroupNumber("skiplines" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>As configured (tags unexpanded), for reports.</summary>
    public string Configured { get; }

    /// <summary>Python syntax after tag expansion.</summary>
    public string Expanded { get; }

    /// <summary>The matchers.</summary>
    public CompiledRegex Regex { get; }

    /// <summary>
    /// The pattern in .NET syntax, which the required-literal analysis reads; null when the
    /// pattern uses syntax only PCRE2 has (then no literal screen is built for its filter).
    /// </summary>
    public string? Pattern { get; }

    /// <summary>True when Python's global (?i) applies to the whole pattern.</summary>
    public bool IgnoreCase { get; private init; }

    /// <summary>True when Python's global (?x) applies (white space and # comments in the pattern).</summary>
    public bool IgnorePatternWhitespace { get; private init; }

    /// <summary>Named groups in Python group order.</summary>
    public string[] Names { get; }

    /// <summary>The group number of each of <see cref="Names"/>.</summary>
    public int[] GroupNumbers { get; }

    /// <summary>The group numbers of skiplines0, skiplines1, ... (&lt;SKIPLINES&gt;).</summary>
    public int[] SkipLinesNumbers { get; }

    public (string Group, string Target)[] AltGroups { get; }

    public (string Group, string Target)[] TupleGroups { get; }

    public int SkipLinesGroups { get; }

    /// <summary>True when the regex can name a failure by itself (fid, ip4, ip6, dns or mlfid group).</summary>
    public bool HasFailureId => Names.Any(n => FailureIdGroups.Contains(n));

    public bool HasGroup(string name) => Names.Contains(name);

    /// <summary>Compiles a configured regex.</summary>
    /// <exception cref="ArgumentException">Empty, or not a valid regex; the message says why.</exception>
    public static FilterRegex Compile(string configured, bool multiline, string useDns)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var expanded = FilterTags.Expand(configured, useDns);
        if (expanded.Trim().Length == 0)
        {
            throw new ArgumentException("empty regex");
        }

        var translated = PythonToPcre2.Translate(expanded, captureUnnamed: false);
        var regex = CompiledRegex.Compile(translated, multiline);
        var names = regex.Pattern.Names.Select(n => n.Name).ToArray();
        var skip = names.Count(n => n.StartsWith("skiplines", StringComparison.Ordinal));
        return new FilterRegex(configured, expanded, regex, DotNetSyntax(expanded), names, skip)
        {
            IgnoreCase = (translated.Options & LibPcre2.Caseless) != 0,
            IgnorePatternWhitespace = (translated.Options & LibPcre2.Extended) != 0,
        };
    }

    private static string? DotNetSyntax(string expanded)
    {
        try
        {
            return PythonRegex.Translate(expanded, keepUnnamedGroups: false).Pattern;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string TrimIndex(string name)
    {
        // COMPLNAME_CRE: (alt_|tuple_)(.*?)(?:_\d+)?$
        var underscore = name.LastIndexOf('_');
        return underscore > 0 && name.AsSpan(underscore + 1).Length > 0 && name.AsSpan(underscore + 1).IndexOfAnyExceptInRange('0', '9') < 0
            ? name[..underscore]
            : name;
    }
}
