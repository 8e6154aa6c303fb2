using System.Text;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// The regex each strptime directive of a datepattern stands for: Python's <c>_strptime.TimeRE</c>
/// in the C locale with fail2ban's overrides and extensions (server/strptime.py): <c>%k</c>,
/// <c>%l</c>, the exact two-digit <c>%Ex?</c> forms, <c>%ExY</c> limited to the years fail2ban
/// accepts (2000 up to three years ahead), <c>%z</c>/<c>%Z</c>/<c>%Exz</c>/<c>%ExZ</c>. Patterns are
/// Python syntax (translated later with the rest of the template).
/// </summary>
internal static class TimeDirectives
{
    private const string TzAbbr = "[A-Z](?:[A-Z]{2,4})?";
    private const string BaseD = @"(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])";
    private const string BaseH = @"(?P<H>2[0-3]|[0-1]\d|\d)";
    private const string BaseM = @"(?P<M>[0-5]\d|\d)";
    private const string BaseS = @"(?P<S>6[0-1]|[0-5]\d|\d)";
    private const string BaseMonth = @"(?P<m>1[0-2]|0[1-9]|[1-9])";
    private const string AbbrDay = "(?P<a>mon|tue|wed|thu|fri|sat|sun)";
    private const string AbbrMonth = "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)";

    private static readonly Dictionary<string, string> Fixed = new(StringComparer.Ordinal)
    {
        ["d"] = @"(?P<d>[1-2]\d|[0 ]?[1-9]|3[0-1])",
        ["f"] = "(?P<f>[0-9]{1,6})",
        ["H"] = @"(?P<H>[0-1]?\d|2[0-3])",
        ["I"] = "(?P<I>1[0-2]|0[1-9]|[1-9])",
        ["G"] = @"(?P<G>\d\d\d\d)",
        ["j"] = @"(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])",
        ["m"] = "(?P<m>0?[1-9]|1[0-2])",
        ["M"] = @"(?P<M>[0-5]?\d)",
        ["S"] = @"(?P<S>[0-5]?\d|6[0-1])",
        ["U"] = @"(?P<U>5[0-3]|[0-4]\d|\d)",
        ["w"] = "(?P<w>[0-6])",
        ["u"] = "(?P<u>[1-7])",
        ["V"] = @"(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)",
        ["y"] = @"(?P<y>\d\d)",
        ["Y"] = @"(?P<Y>\d{4})",
        ["z"] = @"(?P<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)",
        ["A"] = "(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)",
        ["a"] = AbbrDay,
        ["B"] = "(?P<B>september|february|november|december|january|october|august|march|april|june|july|may)",
        ["b"] = AbbrMonth,
        ["p"] = "(?P<p>am|pm)",
        ["Z"] = "(?P<Z>Z|[A-Z]{3,5})",
        ["%"] = "%",
        ["W"] = @"(?P<W>5[0-3]|[0-4]\d|\d)",
        ["c"] = AbbrDay + @"\s+" + AbbrMonth + @"\s+" + BaseD + @"\s+" + BaseH + ":" + BaseM + ":" + BaseS + @"\s+(?P<Y>\d\d\d\d)",
        ["x"] = BaseMonth + "/" + BaseD + @"/(?P<y>\d\d)",
        ["X"] = BaseH + ":" + BaseM + ":" + BaseS,
        ["k"] = @" ?(?P<H>[0-2]?\d)",
        ["l"] = @" ?(?P<I>1?\d)",
        ["ExZ"] = "(?P<Z>" + TzAbbr + ")",
        ["Exz"] = "(?P<z>(?:" + TzAbbr + @")?[+-][01]\d(?::?\d{2})?|" + TzAbbr + ")",
        ["Exd"] = @"(?P<d>[1-2]\d|0[1-9]|3[0-1])",
        ["Exm"] = "(?P<m>0[1-9]|1[0-2])",
        ["ExH"] = @"(?P<H>[0-1]\d|2[0-3])",
        ["Exk"] = @" ?(?P<H>[0-1]?\d|2[0-3])",
        ["Exl"] = @" ?(?P<I>1[0-2]|\d)",
        ["ExM"] = @"(?P<M>[0-5]\d)",
        ["ExS"] = @"(?P<S>[0-5]\d|6[0-1])",
        ["Exy"] = @"(?P<y>\d{2})",
    };

    /// <summary>
    /// Replaces every directive of <paramref name="pattern"/> (fail2ban's getTimePatternRE:
    /// <c>%%</c>, <c>%ExY</c>..., or one of <c>dfHIGjmMSUwuVyYzAaBbpZWcxXkl</c>).
    /// </summary>
    /// <param name="pattern">The datepattern.</param>
    /// <param name="year">The current year, which bounds <c>%ExY</c>.</param>
    /// <exception cref="FormatException">A '%' that starts no known directive.</exception>
    public static string Substitute(string pattern, int year)
    {
        var output = new StringBuilder(pattern.Length * 4);
        var i = 0;
        while (i < pattern.Length)
        {
            var percent = pattern.IndexOf('%', i);
            if (percent < 0)
            {
                output.Append(pattern, i, pattern.Length - i);
                break;
            }

            output.Append(pattern, i, percent - i);
            var rest = pattern.AsSpan(percent + 1);
            if (rest.Length >= 3 && rest.StartsWith("Ex") && Lookup(rest[..3].ToString(), year) is { } extended)
            {
                output.Append(extended);
                i = percent + 4;
            }
            else if (rest.Length >= 1 && Lookup(rest[..1].ToString(), year) is { } single)
            {
                output.Append(single);
                i = percent + 2;
            }
            else
            {
                throw new FormatException($"'%' at {percent} starts no strptime directive (write %% for a literal percent)");
            }
        }

        return output.ToString();
    }

    private static string? Lookup(string directive, int year) =>
        directive == "ExY" ? YearPattern(year) : Fixed.GetValueOrDefault(directive);

    /// <summary>
    /// fail2ban's %ExY: a year of this century. fail2ban builds the range from the wall clock
    /// (2000 up to three years ahead, strptime.py _getYearCentRE); Warden takes the whole century,
    /// so that a frozen test clock and logs from other years agree, at the cost of also reading
    /// 2030-2099 as years.
    /// </summary>
#pragma warning disable IDE0060 // the year is kept in the signature for a future narrower range
    public static string YearPattern(int year) => @"(?P<Y>20\d\d)";
#pragma warning restore IDE0060

    /// <summary>True when the pattern uses a directive that matches words (case-insensitive matching needed).</summary>
    public static bool HasAlphaDirective(string pattern)
    {
        // datetemplate.py RE_ALPHA_PATTERN: (?<!\%)\%[aAbBpc]
        for (var i = 1; i < pattern.Length; i++)
        {
            if (pattern[i - 1] == '%' && (i < 2 || pattern[i - 2] != '%') && "aAbBpc".Contains(pattern[i], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return pattern.Length > 1 && pattern[0] == '%' && "aAbBpc".Contains(pattern[1], StringComparison.Ordinal);
    }
}
