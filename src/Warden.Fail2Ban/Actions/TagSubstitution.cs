using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Actions;

/// <summary>
/// fail2ban's <c>&lt;tag&gt;</c> substitution (helpers.py substituteRecursiveTags,
/// server/action.py replaceTag): tags inside values are replaced by other values until none is
/// left that can be; a conditional value <c>tag?family=inet6</c> wins over <c>tag</c> for that
/// family; unknown tags stay as written (they may be ban data filled in later, or shell text).
/// Pure functions.
/// </summary>
/// <remarks>Interim: to be replaced by the filter branch's shared TagSubstitution once it is on main.</remarks>
internal static partial class TagSubstitution
{
    private const int MaxPasses = 50;

    /// <summary>Tags fail2ban fills at run time whatever the configuration says (action.py ADD_REPL_TAGS).</summary>
    public static string? BuiltIn(string tag) => tag switch
    {
        "br" => "\n",
        "sp" => " ",
        "fq-hostname" => FullHostName(),
        "sh-hostname" => System.Net.Dns.GetHostName().Split('.')[0],
        _ => null,
    };

    /// <summary>Resolves every value's tags from the other values (and <paramref name="extra"/>), except <paramref name="ignore"/>d tags.</summary>
    /// <exception cref="FormatException">A value refers to itself, or substitution does not settle.</exception>
    public static Dictionary<string, string> Resolve(
        IReadOnlyDictionary<string, string> values, string conditional, IReadOnlySet<string> ignore, Func<string, string?>? extra = null)
    {
        var result = new Dictionary<string, string>(values, StringComparer.Ordinal);
        for (var pass = 0; ; pass++)
        {
            var again = false;
            foreach (var key in result.Keys.ToList())
            {
                if (ignore.Contains(key))
                {
                    continue;
                }

                var value = result[key];
                var replaced = Tag().Replace(value, m =>
                {
                    var tag = m.Groups[1].Value;
                    if (tag == key)
                    {
                        throw new FormatException($"'{key}' refers to itself: {value}");
                    }

                    return ignore.Contains(tag) ? m.Value : Lookup(result, tag, conditional) ?? extra?.Invoke(tag) ?? m.Value;
                });
                if (replaced != value)
                {
                    result[key] = replaced;
                    again |= Tag().IsMatch(replaced);
                }
            }

            if (!again)
            {
                return result;
            }

            if (pass >= MaxPasses)
            {
                throw new FormatException("tags refer to each other in a loop and cannot be resolved");
            }
        }
    }

    /// <summary>Replaces the tags of <paramref name="query"/> from resolved values and the built-in tags; unknown tags stay.</summary>
    public static string Replace(string query, IReadOnlyDictionary<string, string> resolved, string conditional)
    {
        for (var pass = 0; pass < MaxPasses && query.Contains('<'); pass++)
        {
            var next = Tag().Replace(query, m => Lookup(resolved, m.Groups[1].Value, conditional) ?? BuiltIn(m.Groups[1].Value) ?? m.Value);
            if (next == query)
            {
                break;
            }

            query = next;
        }

        return query;
    }

    /// <summary>The tag names still in <paramref name="text"/>.</summary>
    public static IEnumerable<string> Tags(string text) => Tag().Matches(text).Select(m => m.Groups[1].Value);

    private static string? Lookup(IReadOnlyDictionary<string, string> values, string tag, string conditional) =>
        (conditional.Length > 0 ? values.GetValueOrDefault(tag + "?" + conditional) : null) ?? values.GetValueOrDefault(tag);

    private static string FullHostName()
    {
        try
        {
            return System.Net.Dns.GetHostEntry(System.Net.Dns.GetHostName()).HostName;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return System.Net.Dns.GetHostName();
        }
    }

    // helpers.py TAG_CRE.
    [GeneratedRegex("<([^ <>]+)>")]
    private static partial Regex Tag();
}
