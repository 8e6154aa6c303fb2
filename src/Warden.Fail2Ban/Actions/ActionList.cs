using System.Text.RegularExpressions;
using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Actions;

/// <summary>
/// Splits a jail's <c>action</c> value into its entries the way fail2ban's helpers.py
/// splitWithOptions does (whitespace or new lines outside brackets), each parsed as a
/// <see cref="ConfigReference"/> (extractOptions).
/// </summary>
public static partial class ActionList
{
    /// <summary>Parses the action list; false with a reason on a syntax error.</summary>
    public static bool TryParse(string text, out IReadOnlyList<ConfigReference> actions, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<ConfigReference>();
        actions = result;
        error = null;
        foreach (Match entry in Entry().Matches(text))
        {
            var value = entry.Value.Trim();
            if (value.Length == 0)
            {
                continue;
            }

            try
            {
                result.Add(ConfigReference.Parse(value));
            }
            catch (FormatException ex)
            {
                error = ex.Message;
                return false;
            }
        }

        return true;
    }

    // helpers.py OPTION_SPLIT_CRE: a name with an optional bracketed option list, or any word.
    [GeneratedRegex("""(?:[^\[\s]+(?:\s*\[\s*(?:[\w\-_\.]+=(?:"[^"]*"|'[^']*'|[^,\]]*)\s*(?:,|\]\s*\[)?\s*)*\])?\s*|\S+)(?=\n\s*|\s+|$)""", RegexOptions.None, 1000)]
    private static partial Regex Entry();
}
