using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Warden.Fail2Ban.Pcre2;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Rewrites a Python <c>re</c> pattern (the syntax of fail2ban's filters, str patterns) for PCRE2,
/// keeping Python's meaning. PCRE2 reads <c>(?P&lt;n&gt;..)</c>, <c>(?P=n)</c>, conditionals,
/// look-arounds and numbered backreferences as Python does (groups numbered in the order they
/// open); what differs: Python's global inline flags apply to the whole pattern wherever they
/// stand (after fail2ban turned <c>((?i)x)</c> into <c>(?i:x)</c>, failregex.py R_GLOB2LOCFLAGS),
/// here compile options; <c>\Z</c> is the end of the string only (PCRE2's <c>\z</c>); Python's
/// Unicode-aware <c>\w \d \s \b</c> need <c>PCRE2_UCP</c> (dropped by the <c>a</c> flag);
/// <c>{,n}</c> is <c>{0,n}</c> (PCRE2 10.42 reads it as text); <c>\uXXXX</c>/<c>\UXXXXXXXX</c>
/// are <c>\x{..}</c>; a <c>-</c> after <c>\w</c> in a class is a literal; a <c>[</c> inside a class is a literal (PCRE2 would read <c>[:</c> as a
/// POSIX class). Pure function.
/// </summary>
internal static partial class PythonToPcre2
{
    /// <summary>Translates <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The Python pattern.</param>
    /// <param name="captureUnnamed">When false and nothing refers to a group by number, unnamed
    /// groups do not capture (cheaper); fail2ban only reads the named groups of a failregex.</param>
    /// <exception cref="ArgumentException">The pattern is malformed in a way the translation sees.</exception>
    public static Pcre2Translation Translate(string pattern, bool captureUnnamed = true)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        pattern = GlobalToLocalFlags().Replace(pattern, "$1:");
        var output = new StringBuilder(pattern.Length + 16);
        var options = LibPcre2.Ucp;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    i = Escape(pattern, i, output, inClass: false);
                    break;
                case '[':
                    i = CharacterClass(pattern, i, output);
                    break;
                case '(':
                    i = Group(pattern, i, output, ref options);
                    break;
                case '{':
                    i = Quantifier(pattern, i, output);
                    break;
                default:
                    output.Append(c);
                    i++;
                    break;
            }
        }

        if (!captureUnnamed && !NumberedReference().IsMatch(pattern))
        {
            options |= LibPcre2.NoAutoCapture;
        }

        return new Pcre2Translation(output.ToString(), options);
    }

    private static int Escape(string pattern, int i, StringBuilder output, bool inClass)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new ArgumentException("pattern ends with a lone backslash");
        }

        var next = pattern[i + 1];
        if (next == 'Z')
        {
            // Outside a class Python's \Z is the very end; inside one Python takes it as a Z.
            output.Append(inClass ? "Z" : @"\z");
            return i + 2;
        }

        var digits = next == 'u' ? 4 : next == 'U' ? 8 : 0;
        if (digits > 0)
        {
            if (i + 2 + digits > pattern.Length || !int.TryParse(pattern.AsSpan(i + 2, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new ArgumentException($"incomplete escape \\{next} at {i}");
            }

            output.Append(@"\x{").Append(code.ToString("x", CultureInfo.InvariantCulture)).Append('}');
            return i + 2 + digits;
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
                var isSet = i + 1 < pattern.Length && pattern[i + 1] is 'w' or 'W' or 'd' or 'D' or 's' or 'S';
                i = Escape(pattern, i, output, inClass: true);
                if (isSet && i < pattern.Length && pattern[i] == '-')
                {
                    // Python reads [\w-x] as \w, '-' and 'x'; PCRE2 refuses a range from a set.
                    output.Append(@"\-");
                    i++;
                }

                continue;
            }

            if (c == '[')
            {
                output.Append(@"\[");
            }
            else
            {
                output.Append(c);
            }

            i++;
        }

        throw new ArgumentException($"unterminated character set at {start}");
    }

    private static int Group(string pattern, int i, StringBuilder output, ref uint options)
    {
        if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
        {
            output.Append('(');
            return i + 1;
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
                options = flag switch
                {
                    'i' => options | LibPcre2.Caseless,
                    'm' => options | LibPcre2.Multiline,
                    's' => options | LibPcre2.DotAll,
                    'x' => options | LibPcre2.Extended,
                    'a' => options & ~LibPcre2.Ucp,
                    _ => options,
                };
            }

            return j + 1;
        }

        if (j > i + 2 && j < pattern.Length && pattern[j] == ':')
        {
            // PCRE2 has no a, L or u; a local ASCII-only scope is rare enough to keep Unicode semantics.
            var local = new StringBuilder();
            foreach (var flag in pattern.AsSpan(i + 2, j - i - 2))
            {
                if (flag is not ('a' or 'L' or 'u'))
                {
                    local.Append(flag);
                }
            }

            output.Append(local.Length == 0 || local.ToString() == "-" ? "(?:" : $"(?{local}:");
            return j + 1;
        }

        output.Append("(?");
        return i + 2;
    }

    private static int Quantifier(string pattern, int i, StringBuilder output)
    {
        var close = pattern.IndexOf('}', i);
        if (close > i + 1 && pattern[i + 1] == ',' && pattern.AsSpan(i + 2, close - i - 2).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            output.Append("{0").Append(pattern, i + 1, close - i);
            return close + 1;
        }

        output.Append('{');
        return i + 1;
    }

    // failregex.py R_GLOB2LOCFLAGS: ((?i)x) and (?:(?i)x) become (?i:x).
    [GeneratedRegex(@"(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex GlobalToLocalFlags();

    [GeneratedRegex(@"(?<!\\)\\[1-9]|\(\?\(\d+\)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedReference();
}
