using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// One way of finding a date in a line (server/datetemplate.py): a regex whose group 1 is the date
/// text, and a conversion of a match to seconds since the epoch. The regex runs on PCRE2 like the
/// filters' (translated from Python syntax, JIT-compiled, its cost per line bounded by PCRE2's
/// limits). Immutable and thread-safe once built; a detector keeps its own hit counts.
/// </summary>
internal abstract class DateTemplate
{
    private CompiledRegex? _compiled;
    private int _dateGroup;

    /// <summary>Unique name (fail2ban's template name; duplicates are refused in one detector).</summary>
    public string Name { get; protected set; } = string.Empty;

    /// <summary>Reorder weight; anchored copies of the defaults weigh 100.</summary>
    public double Weight { get; set; } = 1.0;

    /// <summary>Anchoring.</summary>
    public TemplateFlags Flags { get; private set; }

    /// <summary>The regex in Python syntax after boundaries were added.</summary>
    public string PythonPattern { get; private set; } = string.Empty;

    /// <summary>The pattern (for pattern templates) the template was made from, else null.</summary>
    public virtual string? Pattern => null;

    /// <summary>A reader that skips the regex on the canonical shape, or null.</summary>
    public IFastDateParser? Fast { get; protected init; }

    /// <summary>Python group number holding the date text.</summary>
    protected virtual int DateGroupIndex => 1;

    /// <summary>The compiled regex (translated from Python on first use).</summary>
    public CompiledRegex Compiled => _compiled ?? Compile();

    /// <summary>Sets the regex, applying fail2ban's boundary rules.</summary>
    protected void SetRegex(string regex, TemplateRegex.Begin begin, bool wordEnd)
    {
        var (built, flags, lineAnchored) = TemplateRegex.Build(regex, begin, wordEnd);
        if (lineAnchored && !Name.StartsWith("{^LN-BEG}", StringComparison.Ordinal))
        {
            Name = "{^LN-BEG}" + Name;
        }

        PythonPattern = built;
        Flags = flags;
        _compiled = null;
    }

    /// <summary>
    /// Python's <c>regex.search(line, start, end)</c>: the search begins at <paramref name="start"/>
    /// (look-behinds still see earlier text, '^' only matches at 0) and the line is cut at
    /// <paramref name="end"/>. A match stopped by a PCRE2 limit counts as none.
    /// </summary>
    public RegexMatch? MatchDate(string line, int start = 0, int end = -1)
    {
        var input = end >= 0 && end < line.Length ? line[..end] : line;
        return Compiled.Match(input, Math.Clamp(start, 0, input.Length), out _);
    }

    /// <summary>The group holding the date text.</summary>
    public MatchGroup DateGroup(RegexMatch match) => match.Group(_dateGroup);

    /// <summary>Seconds since the epoch, or null when the matched text is not a valid date.</summary>
    public abstract double? GetTime(RegexMatch match, DateContext context);

    private CompiledRegex Compile()
    {
        // Unnamed groups stay capturing: PCRE2 numbers groups in the order they open, as Python does.
        var compiled = CompiledRegex.Compile(PythonToPcre2.Translate(PythonPattern));
        _dateGroup = DateGroupIndex <= compiled.Pattern.CaptureCount ? DateGroupIndex : 0;
        OnCompiled(compiled.Pattern.Names);
        _compiled = compiled;
        return compiled;
    }

    /// <summary>Lets a template read the compiled pattern's named groups (its fields).</summary>
    protected virtual void OnCompiled(IReadOnlyList<(string Name, int Number)> names)
    {
    }
}
