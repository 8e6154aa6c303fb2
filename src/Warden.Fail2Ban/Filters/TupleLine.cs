namespace Warden.Fail2Ban.Filters;

/// <summary>
/// A line split around its date (fail2ban's "tuple line"): regexes see <see cref="Text"/>, the
/// line without its date text. The parts are cut from the line only when asked, so a line whose
/// regexes ran on a buffer built earlier (stage one's prefregex) costs no substring.
/// </summary>
internal readonly struct TupleLine
{
    // Cut: the whole line, the date at [_start, _end), _date null. Undated: the text, and the
    // date text borrowed from an earlier line (or empty) in _date.
    private readonly string _source;
    private readonly string? _date;
    private readonly int _start;
    private readonly int _end;

    private TupleLine(string source, string? date, int start, int end)
    {
        _source = source;
        _date = date;
        _start = start;
        _end = end;
    }

    /// <summary>The line with its date at <c>[start, end)</c>.</summary>
    public static TupleLine Cut(string line, int start, int end) => new(line, null, start, end);

    /// <summary>A text without a date of its own, shown with <paramref name="date"/> (an earlier line's, or none).</summary>
    public static TupleLine Undated(string text, string date = "") => new(text, date, 0, 0);

    /// <summary>The text before the date.</summary>
    public string Before => _date is null ? _source[.._start] : string.Empty;

    /// <summary>The date text.</summary>
    public string Date => _date ?? _source[_start.._end];

    /// <summary>The text after the date.</summary>
    public string After => _date is null ? _source[_end..] : _source;

    /// <summary>The line as the regexes see it: without the date.</summary>
    public string Text => _date is not null ? _source
        : _start == 0 ? _source[_end..]
        : _end == _source.Length ? _source[.._start]
        : string.Concat(_source.AsSpan(0, _start), _source.AsSpan(_end));

    /// <summary>The original line.</summary>
    public string Whole => _date is null || _date.Length == 0 ? _source : string.Concat(_date, _source);

    /// <summary>fail2ban's _tupleLinesBuf: the lines' texts joined by newlines, with a final newline.</summary>
    public static string Buffer(IReadOnlyList<TupleLine> lines)
    {
        if (lines.Count == 1)
        {
            var line = lines[0];
            return line._date is not null
                ? string.Concat(line._source, "\n")
                : string.Concat(line._source.AsSpan(0, line._start), line._source.AsSpan(line._end), "\n");
        }

        var builder = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(line.Text).Append('\n');
        }

        return builder.ToString();
    }
}
