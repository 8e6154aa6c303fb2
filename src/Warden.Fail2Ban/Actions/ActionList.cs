using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Actions;

/// <summary>
/// Splits a jail's <c>action</c> value into its entries, the way fail2ban's helpers.py
/// splitWithOptions and extractOptions do: entries are separated by whitespace or new lines
/// outside brackets; options are <c>key=value</c>, <c>key="value"</c> or <c>key='value'</c>,
/// separated by commas, possibly in several groups <c>[a=1][b=2]</c>.
/// </summary>
public static partial class ActionList
{
    /// <summary>Parses the action list; false with a reason on a syntax error.</summary>
    public static bool TryParse(string text, out IReadOnlyList<ActionReference> actions, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<ActionReference>();
        actions = result;
        error = null;
        foreach (Match entry in Entry().Matches(text))
        {
            var value = entry.Value.Trim();
            if (value.Length == 0)
            {
                continue;
            }

            if (!TryParseOne(value, out var action, out error))
            {
                return false;
            }

            result.Add(action);
        }

        return true;
    }

    /// <summary>Parses <c>name[options]</c> (also a filter reference such as <c>sshd[mode=aggressive]</c>).</summary>
    public static bool TryParseOne(string text, out ActionReference action, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        action = new ActionReference(string.Empty, new Dictionary<string, string>());
        error = null;
        var head = Head().Match(text);
        if (!head.Success)
        {
            error = $"'{text}' is not NAME or NAME[option=value, ...]";
            return false;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (head.Groups[2].Success)
        {
            var body = head.Groups[2].Value;
            var position = 0;
            foreach (Match option in Option().Matches(body))
            {
                if (option.Index != position)
                {
                    error = $"unexpected '{body[position..Math.Min(body.Length, option.Index)]}' in the options of '{text}'";
                    return false;
                }

                position = option.Index + option.Length;
                if (!option.Groups["key"].Success)
                {
                    continue;
                }

                var value = option.Groups["dq"].Success ? option.Groups["dq"].Value
                    : option.Groups["sq"].Success ? option.Groups["sq"].Value
                    : option.Groups["plain"].Value;
                options[option.Groups["key"].Value.Trim().ToLowerInvariant()] = value.Trim();
            }

            if (position != body.Length)
            {
                error = $"unexpected '{body[position..]}' in the options of '{text}'";
                return false;
            }
        }

        action = new ActionReference(head.Groups[1].Value.Trim(), options);
        return true;
    }

    // helpers.py OPTION_SPLIT_CRE: a name with an optional bracketed option list, or any word.
    [GeneratedRegex("""(?:[^\[\s]+(?:\s*\[\s*(?:[\w\-_\.]+=(?:"[^"]*"|'[^']*'|[^,\]]*)\s*(?:,|\]\s*\[)?\s*)*\])?\s*|\S+)(?=\n\s*|\s+|$)""", RegexOptions.None, 1000)]
    private static partial Regex Entry();

    // helpers.py OPTION_CRE.
    [GeneratedRegex(@"^([^\[]+)(?:\[(.*)\])?\s*$", RegexOptions.Singleline, 1000)]
    private static partial Regex Head();

    // helpers.py OPTION_EXTRACT_CRE, one option (with its separator) per match.
    [GeneratedRegex("""\s*(?<key>[\w\-_\.]+)=(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)'|(?<plain>[^,\]]*))(?:,|\]\s*\[|$)|,?\s*$""", RegexOptions.Singleline, 1000)]
    private static partial Regex Option();
}
