using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// fail2ban's <c>DateTemplate.setRegex</c> (server/datetemplate.py): wraps a date regex in a
/// group when it has none, adds word boundaries (<c>(?=^|\b|\W)</c> before, <c>(?=\b|\W|$)</c>
/// after) unless the regex is anchored or marks its ends with <c>**</c>, or anchors it at the line
/// start (<c>{^LN-BEG}</c>: <c>^(?:\W{0,2})?</c>), and derives the anchoring flags. Works on Python
/// syntax; the meta-patterns below are datetemplate.py's, which read regex text, not log lines.
/// </summary>
internal static partial class TemplateRegex
{
    /// <summary>Word-begin mode: at a word boundary, at the line start, or not at all.</summary>
    internal enum Begin
    {
        None,
        Word,
        Line,
    }

    public static (string Regex, TemplateFlags Flags, bool LineAnchored) Build(string regex, Begin begin, bool wordEnd)
    {
        regex = regex.Trim();
        var globalFlags = GlobalFlags().Match(regex);
        if (globalFlags.Success)
        {
            regex = GlobalFlags().Replace(regex, string.Empty, 1);
        }

        var boundBegin = begin != Begin.None && !NoWordBoundBegin().IsMatch(regex);
        var boundEnd = wordEnd && !NoWordBoundEnd().IsMatch(regex);
        if (!Grouped().IsMatch(regex))
        {
            regex = Group().Replace(regex, "$1($2)$3", 1);
        }

        var flags = TemplateFlags.None;
        if (boundBegin)
        {
            if (begin == Begin.Line)
            {
                flags |= TemplateFlags.LineBegin;
                regex = @"^(?:\W{0,2})?" + regex;
            }
            else
            {
                flags |= TemplateFlags.WordBegin;
                regex = @"(?=^|\b|\W)" + regex;
            }
        }

        if (boundEnd)
        {
            flags |= TemplateFlags.WordEnd;
            regex += @"(?=\b|\W|$)";
        }

        if ((flags & TemplateFlags.LineBegin) == 0 && LineBoundBegin().IsMatch(regex))
        {
            flags |= TemplateFlags.LineBegin;
        }

        if ((flags & TemplateFlags.LineEnd) == 0 && LineBoundEnd().IsMatch(regex))
        {
            flags |= TemplateFlags.LineEnd;
        }

        regex = DeleteWordBounds().Replace(regex, m => m.Value.Replace("**", string.Empty, StringComparison.Ordinal));
        if (globalFlags.Success)
        {
            regex = globalFlags.Groups[1].Value + regex;
        }

        return (regex, flags, boundBegin && begin == Begin.Line);
    }

    /// <summary>datetemplate.py unboundPattern: strips {UNB}, {^LN-BEG} and the word-boundary wrappers.</summary>
    public static string Unbound(string pattern)
    {
        pattern = UnboundMark().Replace(pattern, string.Empty, 1);
        pattern = LineBeginMark().Replace(pattern, string.Empty, 1);
        pattern = StartAnchorBound().Replace(pattern, string.Empty, 1);
        return EndAnchorBound().Replace(pattern, string.Empty, 1);
    }

    public static bool StartsUnbound(string pattern) => UnboundMark().IsMatch(pattern);

    public static string RemoveUnbound(string pattern) => UnboundMark().Replace(pattern, string.Empty, 1);

    public static bool StartsLineBegin(string pattern) => LineBeginMark().IsMatch(pattern);

    public static string RemoveLineBegin(string pattern) => LineBeginMark().Replace(pattern, string.Empty, 1);

    [GeneratedRegex(@"((?:^|(?!<\\))\(\?[a-z]+\))")]
    private static partial Regex GlobalFlags();

    [GeneratedRegex(@"(?<!(?:\(\?))(?<!\\)\((?!\?)")]
    private static partial Regex Grouped();

    [GeneratedRegex(@"^((?:\(\?\w+\))?\^?(?:\(\?\w+\))?)(.*?)(\$?)$")]
    private static partial Regex Group();

    [GeneratedRegex(@"^\{UNB\}")]
    private static partial Regex UnboundMark();

    [GeneratedRegex(@"^\{\^LN-BEG\}")]
    private static partial Regex LineBeginMark();

    [GeneratedRegex(@"^\((?:\?:)?\^\|\\b\|\\W\)")]
    private static partial Regex StartAnchorBound();

    [GeneratedRegex(@"\(\?=\\b\|\\W\|\$\)$")]
    private static partial Regex EndAnchorBound();

    [GeneratedRegex(@"^\(*(?:\(\?\w+\))?(?:\^|\(*\*\*|\((?:\?:)?\^)")]
    private static partial Regex NoWordBoundBegin();

    [GeneratedRegex(@"(?<!\\)(?:\$\)?|\\b|\\s|\*\*\)*)$")]
    private static partial Regex NoWordBoundEnd();

    [GeneratedRegex(@"^\(*(?:\(\?\w+\))?\(*\*\*|(?<!\\)\*\*\)*$")]
    private static partial Regex DeleteWordBounds();

    [GeneratedRegex(@"^(?:\(\?\w+\))?(?:\^|\((?:\?:)?\^(?!\|))")]
    private static partial Regex LineBoundBegin();

    [GeneratedRegex(@"(?<![\\\|])(?:\$\)?)$")]
    private static partial Regex LineBoundEnd();
}
