using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Config;

/// <summary>
/// A reference to a filter or action with options, as written in a jail:
/// <c>sshd[mode=aggressive, publickey=invalid]</c>, <c>act[p1="a, b"][p2='c']</c>
/// (fail2ban helpers.py <c>extractOptions</c>). Immutable.
/// </summary>
/// <param name="Name">The part before the brackets, trimmed.</param>
/// <param name="Options">The options in the brackets, in order.</param>
public sealed partial record ConfigReference(string Name, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Parses a reference.</summary>
    /// <exception cref="FormatException">The brackets do not hold <c>name=value</c> options; the message says where.</exception>
    public static ConfigReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = WholeRegex().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"expected NAME or NAME[option=value, ...], found '{text}'");
        }

        var options = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        if (match.Groups[2].Success)
        {
            var inner = match.Groups[2].Value;
            foreach (Match option in OptionRegex().Matches(inner))
            {
                if (option.Groups["wrngA"].Success)
                {
                    throw new FormatException($"unexpected text at {option.Groups["wrngA"].Index} after option '{option.Groups[1].Value}': {Shorten(option.Groups["wrngA"].Value)}");
                }

                if (option.Groups["wrngB"].Success)
                {
                    throw new FormatException($"expected option=value at {option.Groups["wrngB"].Index}: {Shorten(option.Groups["wrngB"].Value)}");
                }

                if (!option.Groups[1].Success || option.Groups[1].Length == 0)
                {
                    continue;
                }

                var value = option.Groups[2].Success ? option.Groups[2].Value
                    : option.Groups[3].Success ? option.Groups[3].Value
                    : option.Groups[4].Value;
                options[option.Groups[1].Value.Trim()] = value.Trim();
            }
        }

        return new ConfigReference(match.Groups[1].Value.Trim(), options);
    }

    private static string Shorten(string text) => text.Length > 25 ? text[..25] : text;

    // helpers.py OPTION_CRE and OPTION_EXTRACT_CRE; run on configuration text only.
    [GeneratedRegex(@"^([^\[]+)(?:\[(.*)\])?\s*$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex WholeRegex();

    [GeneratedRegex(
        @"\s*([\w\-_\.]+)=(?:""([^""]*)""|'([^']*)'|([^,\]]*))(?:,|\]\s*\[|$|(?<wrngA>.+))|,?\s*$|(?<wrngB>.+)",
        RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex OptionRegex();
}
