namespace Warden.Fail2Ban.Filters;

/// <summary>
/// A line split around its date (fail2ban's "tuple line"): regexes see <see cref="Text"/>, the
/// line without its date text.
/// </summary>
internal readonly record struct TupleLine(string Before, string Date, string After)
{
    /// <summary>The line as the regexes see it: without the date.</summary>
    public string Text => Before.Length == 0 ? After : After.Length == 0 ? Before : Before + After;

    /// <summary>The original line.</summary>
    public string Whole => string.Concat(Before, Date, After);

    /// <summary>fail2ban's _tupleLinesBuf: the lines' texts joined by newlines, with a final newline.</summary>
    public static string Buffer(IReadOnlyList<TupleLine> lines)
    {
        if (lines.Count == 1)
        {
            return lines[0].Text + "\n";
        }

        var builder = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(line.Text).Append('\n');
        }

        return builder.ToString();
    }
}
