using System.Globalization;
using System.Text.RegularExpressions;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Seconds since the epoch (datetemplate.py <c>DateEpoch</c>): at the line start, in square
/// brackets (nsd) or in SELinux's <c>audit(...)</c>; LEPOCH also takes milli- and microseconds;
/// a custom pattern marks the number with <c>{EPOCH}</c> / <c>{LEPOCH}</c>.
/// </summary>
internal sealed partial class EpochDateTemplate : DateTemplate
{
    private readonly bool _long;
    private readonly int _group;

    public EpochDateTemplate(bool lineBeginOnly = false, string? pattern = null, bool longForm = false)
    {
        _long = longForm;
        _group = 1;
        Name = pattern ?? (longForm ? "LongEpoch" : "Epoch");
        var epoch = longForm ? @"\d{10,11}(?:\d{3}(?:\.\d{1,6}|\d{3})?)?" : @"\d{10,11}\b(?:\.\d{3,6})?";
        if (pattern is not null)
        {
            _group = 2;
            SetRegex("(" + EpochMark().Replace(pattern, "(" + epoch.Replace("$", "$$", StringComparison.Ordinal) + ")") + ")", TemplateRegex.Begin.Word, wordEnd: true);
        }
        else if (!lineBeginOnly)
        {
            SetRegex(@"((?:^|(?P<square>(?<=^\[))|(?P<selinux>(?<=\baudit\()))" + epoch + @")(?:(?(selinux)(?=:\d+\)))|(?(square)(?=\])))", TemplateRegex.Begin.None, wordEnd: true);
        }
        else
        {
            SetRegex(@"((?P<square>(?<=^\[))?" + epoch + @")(?(square)(?=\]))", TemplateRegex.Begin.Line, wordEnd: true);
        }
    }

    protected override int DateGroupIndex => _group;

    public override double? GetTime(RegexMatch match, DateContext context)
    {
        var text = DateGroup(match).Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        if (_long && text.Length >= 13)
        {
            value /= text.Length >= 16 && !text.Contains('.', StringComparison.Ordinal) ? 1_000_000 : 1000;
        }

        return value;
    }

    /// <summary>datetemplate.py RE_EPOCH_PATTERN.</summary>
    [GeneratedRegex(@"(?<!\\)\{L?EPOCH\}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex EpochMark();
}
