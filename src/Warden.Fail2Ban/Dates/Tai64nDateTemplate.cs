using System.Globalization;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Dates;

/// <summary>TAI64N labels (<c>@4000000037c219bf2ef02e94</c>, daemontools), datetemplate.py DateTai64n.</summary>
internal sealed class Tai64nDateTemplate : DateTemplate
{
    public Tai64nDateTemplate(bool lineBegin)
    {
        Name = "TAI64N";
        SetRegex("@[0-9a-f]{24}", lineBegin ? TemplateRegex.Begin.Line : TemplateRegex.Begin.None, wordEnd: true);
    }

    public override double? GetTime(RegexMatch match, DateContext context)
    {
        // Seconds are hex digits 2..17 of the label (the "@4" prefix and TAI offset ignored, as fail2ban does).
        var text = DateGroup(match).Value;
        return text.Length >= 17 && long.TryParse(text.AsSpan(2, 15), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;
    }
}
