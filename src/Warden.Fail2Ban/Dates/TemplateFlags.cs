namespace Warden.Fail2Ban.Dates;

/// <summary>How a date template is anchored (datetemplate.py DateTemplate.LINE_BEGIN ...).</summary>
[Flags]
internal enum TemplateFlags
{
    None = 0,
    WordEnd = 1,
    WordBegin = 2,
    LineEnd = 4,
    LineBegin = 8,
}
