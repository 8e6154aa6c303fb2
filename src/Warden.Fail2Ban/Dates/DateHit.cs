using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Where a template found the date in a line: the whole match and the date text within it, with
/// either the regex match or the fields a fast parser read.
/// </summary>
internal readonly record struct DateHit(DateTemplate Template, int MatchStart, int MatchEnd, int DateStart, int DateEnd, RegexMatch? Match, FastDate Fields)
{
    public static DateHit FromMatch(DateTemplate template, RegexMatch match)
    {
        var group = template.DateGroup(match);
        var (start, end) = group.Success ? (group.Index, group.Index + group.Length) : (0, 0);
        return new DateHit(template, match.Index, match.Index + match.Length, start, end, match, default);
    }

    /// <summary>Seconds since the epoch, or null when the text is no valid date.</summary>
    public double? GetTime(DateContext context) =>
        Match is not null ? Template.GetTime(Match, context) : Strptime.FromFields(Fields, context);
}
