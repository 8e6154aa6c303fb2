using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// A datepattern with strptime directives (datetemplate.py <c>DatePatternRegex</c>):
/// <c>{UNB}</c> drops the word boundaries, <c>{^LN-BEG}</c> anchors at the line start, directives
/// that match names make the whole template case-insensitive.
/// </summary>
internal sealed class PatternDateTemplate : DateTemplate
{
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "y", "Y", "m", "B", "b", "d", "H", "I", "M", "S", "f", "A", "a", "w", "j", "U", "W", "z", "Z",
    };

    private readonly string _pattern;
    private List<(int Group, string Field)> _fields = [];
    private int _ampm = -1;

    /// <exception cref="FormatException">The pattern has an unknown directive.</exception>
    public PatternDateTemplate(string pattern, int year, TemplateRegex.Begin begin = TemplateRegex.Begin.Word, bool wordEnd = true)
    {
        _pattern = pattern;
        Fast = begin == TemplateRegex.Begin.Word ? FastDateParsers.For(pattern) : null;
        var text = pattern;
        if (TemplateRegex.StartsUnbound(text))
        {
            text = TemplateRegex.RemoveUnbound(text);
            begin = TemplateRegex.Begin.None;
            wordEnd = false;
        }

        if (begin != TemplateRegex.Begin.None && TemplateRegex.StartsLineBegin(text))
        {
            text = TemplateRegex.RemoveLineBegin(text);
            begin = TemplateRegex.Begin.Line;
        }

        Name = text;
        var regex = TimeDirectives.Substitute(text, year);
        if (TimeDirectives.HasAlphaDirective(text))
        {
            regex = "(?iu)" + regex;
        }

        SetRegex(regex, begin, wordEnd);
    }

    public override string? Pattern => _pattern;

    public override double? GetTime(RegexMatch match, DateContext context) => Strptime.ToUnix(match, _fields, _ampm, context);

    protected override void OnCompiled(IReadOnlyList<(string Name, int Number)> names)
    {
        _fields = [];
        foreach (var (name, number) in names)
        {
            if (Fields.Contains(name))
            {
                _fields.Add((number, name));
            }
            else if (name == "p")
            {
                _ampm = number;
            }
        }
    }
}
