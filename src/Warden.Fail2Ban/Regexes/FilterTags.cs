using System.Globalization;
using System.Text;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Expands fail2ban's regex tags (server/failregex.py <c>Regex._resolveHostTag</c>) in Python
/// syntax, before translation: <c>&lt;HOST&gt;</c>, <c>&lt;ADDR&gt;</c>, <c>&lt;IP4&gt;</c>,
/// <c>&lt;IP6&gt;</c>, <c>&lt;DNS&gt;</c>, <c>&lt;CIDR&gt;</c>, <c>&lt;SUBNET&gt;</c>,
/// <c>&lt;F-ID/&gt;</c>, <c>&lt;F-PORT/&gt;</c>, <c>&lt;SKIPLINES&gt;</c>, and any
/// <c>&lt;F-NAME&gt;...&lt;/F-NAME&gt;</c> pair, which becomes the group <c>name</c> (lower case;
/// F-ID and F-PORT map to <c>fid</c> and <c>fport</c>). A closing tag that was never opened, and
/// any other tag, stays as written. Pure function.
/// </summary>
internal static class FilterTags
{
    // ipdns.py IP_4_RE / IP_6_RE. The IPv6 pattern's final "(?<=:):" is written as ":" here: the
    // repeated group always ends with ':', so the look-behind always holds, and without it the
    // pattern stays within what .NET's non-backtracking engine accepts.
    private const string Ip4 = @"(?:\d{1,3}\.){3}\d{1,3}";
    private const string Ip6 = @"(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)";
    private const string Ip4Group = @"(?:::f{4,6}:)?(?P<ip4>" + Ip4 + ")";
    private const string Ip6Group = "(?P<ip6>" + Ip6 + ")";
    private const string DnsGroup = @"(?P<dns>[\w\-.^_]*\w)";
    private const string CidrGroup = @"(?P<cidr>\d+)";
    private const string Addr = @"\[?(?:" + Ip4Group + "|" + Ip6Group + @")\]?";
    private const string Host = "(?:" + Addr + "|" + DnsGroup + ")";
    private const string Subnet = @"\[?(?:" + Ip4Group + "|" + Ip6Group + ")(?:/" + CidrGroup + @")?\]?";

    private static readonly Dictionary<string, string> Static = new(StringComparer.Ordinal)
    {
        ["IP4"] = Ip4Group,
        ["F-IP4/"] = Ip4Group,
        ["IP6"] = Ip6Group,
        ["F-IP6/"] = Ip6Group,
        ["ADDR"] = Addr,
        ["F-ADDR/"] = Addr,
        ["CIDR"] = CidrGroup,
        ["F-CIDR/"] = CidrGroup,
        ["SUBNET"] = Subnet,
        ["F-SUBNET/"] = Subnet,
        ["DNS"] = DnsGroup,
        ["F-DNS/"] = DnsGroup,
        ["F-ID/"] = @"(?P<fid>\S+)",
        ["F-PORT/"] = @"(?P<fport>\w+)",
    };

    /// <summary>The <c>&lt;HOST&gt;</c> expansion, for tests and tools.</summary>
    public static string HostPattern => Host;

    /// <summary>Expands the tags of <paramref name="regex"/>.</summary>
    /// <param name="regex">A failregex, ignoreregex or prefregex as configured.</param>
    /// <param name="useDns">fail2ban's usedns: with <c>no</c>, &lt;HOST&gt; matches addresses only.</param>
    public static string Expand(string regex, string useDns = "warn")
    {
        ArgumentNullException.ThrowIfNull(regex);
        var open = new HashSet<string>(StringComparer.Ordinal);
        var skipLines = 0;
        var output = new StringBuilder(regex.Length + 64);
        var i = 0;
        while (i < regex.Length)
        {
            var lt = regex.IndexOf('<', i);
            if (lt < 0)
            {
                output.Append(regex, i, regex.Length - i);
                break;
            }

            output.Append(regex, i, lt - i);
            var end = TagEnd(regex, lt);
            if (end < 0)
            {
                output.Append('<');
                i = lt + 1;
                continue;
            }

            var tag = regex[lt..end];
            output.Append(Replace(tag, useDns, open, ref skipLines));
            i = end;
        }

        return output.ToString();
    }

    // FTAG_CRE: </?[\w\-]+/?>
    private static int TagEnd(string regex, int lt)
    {
        var j = lt + 1;
        if (j < regex.Length && regex[j] == '/')
        {
            j++;
        }

        var nameStart = j;
        while (j < regex.Length && (char.IsLetterOrDigit(regex[j]) || regex[j] is '_' or '-'))
        {
            j++;
        }

        if (j == nameStart)
        {
            return -1;
        }

        if (j < regex.Length && regex[j] == '/')
        {
            j++;
        }

        return j < regex.Length && regex[j] == '>' ? j + 1 : -1;
    }

    private static string Replace(string tag, string useDns, HashSet<string> open, ref int skipLines)
    {
        var name = tag[1..^1];
        if (name == "HOST")
        {
            return useDns == "no" ? Addr : Host;
        }

        if (name == "SKIPLINES")
        {
            return @"\n(?P<skiplines" + (skipLines++).ToString(CultureInfo.InvariantCulture) + @">(?:(?:.*\n)*?))";
        }

        if (Static.TryGetValue(name, out var replacement))
        {
            return replacement;
        }

        // FCUSTNAME_CRE: ^(/?)F-([A-Z0-9_\-]+)$ (upper case only).
        var closing = name.StartsWith('/');
        var body = closing ? name[1..] : name;
        if (!body.StartsWith("F-", StringComparison.Ordinal) || body.Length == 2 || !body.AsSpan(2).ContainsOnlyUpperTagChars())
        {
            return tag;
        }

        var field = body[2..];
        if (closing)
        {
            return open.Contains(field) ? ")" : tag;
        }

        open.Add(field);
        return "(?P<" + GroupName(field) + ">";
    }

    /// <summary>fail2ban's mapTag2Opt: the group name of an F- tag.</summary>
    public static string GroupName(string field)
    {
        var lower = field.ToLowerInvariant();
        return lower switch
        {
            "id" => "fid",
            "port" => "fport",
            _ => lower,
        };
    }

    private static bool ContainsOnlyUpperTagChars(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
