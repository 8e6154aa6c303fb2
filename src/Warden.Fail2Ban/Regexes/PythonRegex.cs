using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Rewrites a Python <c>re</c> pattern (the syntax of fail2ban's filters) into the equivalent .NET
/// pattern. Differences handled: <c>(?P&lt;n&gt;..)</c> and <c>(?P=n)</c>; global inline flags
/// anywhere in the pattern (Python applies them to the whole pattern, after fail2ban turned
/// <c>((?i)x)</c> into <c>(?i:x)</c>, failregex.py R_GLOB2LOCFLAGS); the <c>u</c>/<c>L</c>/<c>a</c>
/// flags .NET lacks; <c>\Z</c> (Python: end of string only, .NET <c>\z</c>); <c>{,n}</c>;
/// a literal <c>[</c> inside a class (.NET reads <c>-[</c> as class subtraction). Python numbers
/// groups in the order they open, named or not, whereas .NET numbers unnamed groups first, so every
/// capturing group gets an explicit .NET name or number and <see cref="TranslatedRegex.GroupNames"/>
/// maps Python group numbers to them. Pure function.
/// </summary>
internal static partial class PythonRegex
{
    /// <summary>Translates <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The Python pattern.</param>
    /// <param name="keepUnnamedGroups">When false, unnamed groups that nothing refers to by number
    /// become non-capturing (cheaper); fail2ban only reads named groups of a failregex.</param>
    /// <exception cref="ArgumentException">The pattern uses Python syntax that has no .NET equivalent.</exception>
    public static TranslatedRegex Translate(string pattern, bool keepUnnamedGroups = true)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        pattern = GlobalToLocalFlags().Replace(pattern, "$1:");
        var referenced = keepUnnamedGroups ? null : NumberedReferences(pattern);
        var output = new StringBuilder(pattern.Length + 16);
        var options = RegexOptions.None;
        var groups = new List<string> { "0" };
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    i = Escape(pattern, i, output, groups, inClass: false);
                    break;
                case '[':
                    i = CharacterClass(pattern, i, output);
                    break;
                case '(':
                    i = Group(pattern, i, output, groups, referenced, ref options);
                    break;
                case '{':
                    i = Quantifier(pattern, i, output);
                    break;
                case '*' or '+' or '?' when i + 1 < pattern.Length && pattern[i + 1] == '+' && !IsAfterGroupOpen(pattern, i):
                    throw new ArgumentException($"possessive quantifier '{c}+' at {i} is not supported; use an atomic group (?>...)");
                default:
                    output.Append(c);
                    i++;
                    break;
            }
        }

        return new TranslatedRegex(output.ToString(), options, groups);
    }

    private static bool IsAfterGroupOpen(string pattern, int i) => i > 0 && pattern[i - 1] == '(';

    private static int Escape(string pattern, int i, StringBuilder output, List<string> groups, bool inClass)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new ArgumentException("pattern ends with a lone backslash");
        }

        var next = pattern[i + 1];
        if (!inClass && next == 'Z')
        {
            output.Append(@"\z");
            return i + 2;
        }

        if (!inClass && next is >= '1' and <= '9')
        {
            // A backreference by Python number: two digits at most (Python reads \NN as a group
            // when that group exists, otherwise octal; filters only use small numbers).
            var end = i + 2;
            if (end < pattern.Length && char.IsAsciiDigit(pattern[end]) && int.Parse(pattern.AsSpan(i + 1, 2), CultureInfo.InvariantCulture) < groups.Count)
            {
                end++;
            }

            var number = int.Parse(pattern.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture);
            if (number >= groups.Count)
            {
                throw new ArgumentException($"backreference \\{number} at {i} refers to a group not defined before it");
            }

            output.Append(@"\k<").Append(groups[number]).Append('>');
            return end;
        }

        if (next == 'U')
        {
            // Python's \UXXXXXXXX: exactly 8 hex digits naming a code point.
            if (i + 10 > pattern.Length
                || !int.TryParse(pattern.AsSpan(i + 2, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                || code is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
            {
                throw new ArgumentException($"bad escape \\U at {i}: 8 hex digits of a code point expected");
            }

            foreach (var ch in char.ConvertFromUtf32(code))
            {
                output.Append(@"\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
            }

            return i + 10;
        }

        output.Append('\\').Append(next);
        return i + 2;
    }

    private static int CharacterClass(string pattern, int start, StringBuilder output)
    {
        output.Append('[');
        var i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            output.Append('^');
            i++;
        }

        // A ']' right after the opening (or after '^') is a literal in Python.
        if (i < pattern.Length && pattern[i] == ']')
        {
            output.Append(@"\]");
            i++;
        }

        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == ']')
            {
                output.Append(']');
                return i + 1;
            }

            if (c == '\\')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == 'Z')
                {
                    output.Append('Z');
                    i += 2;
                    continue;
                }

                i = Escape(pattern, i, output, [], inClass: true);
                continue;
            }

            output.Append(c == '[' ? @"\[" : c.ToString());
            i++;
        }

        throw new ArgumentException($"unterminated character set at {start}");
    }

    private static int Group(string pattern, int i, StringBuilder output, List<string> groups, HashSet<int>? referenced, ref RegexOptions options)
    {
        if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
        {
            var number = groups.Count;
            groups.Add(number.ToString(CultureInfo.InvariantCulture));
            output.Append(referenced is null || referenced.Contains(number) ? $"(?<{number}>" : "(?:");
            return i + 1;
        }

        var rest = pattern.AsSpan(i + 2);
        if (rest.StartsWith("P<"))
        {
            var close = pattern.IndexOf('>', i + 4);
            if (close < 0)
            {
                throw new ArgumentException($"unterminated group name at {i}");
            }

            var name = pattern[(i + 4)..close];
            groups.Add(name);
            output.Append("(?<").Append(name).Append('>');
            return close + 1;
        }

        if (rest.StartsWith("P="))
        {
            var close = pattern.IndexOf(')', i + 4);
            if (close < 0)
            {
                throw new ArgumentException($"unterminated backreference at {i}");
            }

            output.Append(@"\k<").Append(pattern[(i + 4)..close]).Append('>');
            return close + 1;
        }

        if (rest.StartsWith("("))
        {
            // Conditional (?(id)yes|no): a number means a Python group number.
            var close = pattern.IndexOf(')', i + 3);
            if (close < 0)
            {
                throw new ArgumentException($"unterminated conditional group at {i}");
            }

            var id = pattern[(i + 3)..close];
            if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < groups.Count)
            {
                id = groups[number];
            }

            output.Append("(?(").Append(id).Append(')');
            return close + 1;
        }

        // Inline flags: (?aiLmsux) applies to the whole pattern in Python; (?aiLmsux-imsx:...) is local.
        var j = i + 2;
        while (j < pattern.Length && "aiLmsux-".Contains(pattern[j], StringComparison.Ordinal))
        {
            j++;
        }

        if (j > i + 2 && j < pattern.Length && pattern[j] == ')')
        {
            foreach (var flag in pattern.AsSpan(i + 2, j - i - 2))
            {
                options |= flag switch
                {
                    'i' => RegexOptions.IgnoreCase,
                    'm' => RegexOptions.Multiline,
                    's' => RegexOptions.Singleline,
                    'x' => RegexOptions.IgnorePatternWhitespace,
                    _ => RegexOptions.None,
                };
            }

            return j + 1;
        }

        if (j > i + 2 && j < pattern.Length && pattern[j] == ':')
        {
            var local = new StringBuilder();
            foreach (var flag in pattern.AsSpan(i + 2, j - i - 2))
            {
                if (flag is not ('a' or 'L' or 'u'))
                {
                    local.Append(flag);
                }
            }

            output.Append(local.Length == 0 ? "(?:" : $"(?{local}:");
            return j + 1;
        }

        output.Append("(?");
        return i + 2;
    }

    private static int Quantifier(string pattern, int i, StringBuilder output)
    {
        // Python reads {,n} as {0,n}; .NET would read it as literal text.
        var close = pattern.IndexOf('}', i);
        if (close > i + 1 && pattern[i + 1] == ',' && pattern.AsSpan(i + 2, close - i - 2).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            output.Append("{0").Append(pattern, i + 1, close - i);
            return close + 1;
        }

        output.Append('{');
        return i + 1;
    }

    private static HashSet<int> NumberedReferences(string pattern)
    {
        var numbers = new HashSet<int>();
        foreach (Match match in NumberedReferenceRegex().Matches(pattern))
        {
            // A number too large for any group refers to none.
            if (int.TryParse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbers.Add(number);
            }
        }

        return numbers;
    }

    // failregex.py R_GLOB2LOCFLAGS: ((?i)x) and (?:(?i)x) become (?i:x).
    [GeneratedRegex(@"(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex GlobalToLocalFlags();

    [GeneratedRegex(@"(?<!\\)\\([1-9]\d?)|\(\?\((\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedReferenceRegex();
}
