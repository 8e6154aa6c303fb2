namespace Warden.Sources.Journal;

/// <summary>
/// A filter's <c>journalmatch</c>: terms <c>FIELD=value</c>, groups joined by <c>+</c> (OR), terms
/// within a group ANDed (or ORed when they name the same field), as fail2ban hands them to
/// sd_journal (server/filtersystemd.py, addJournalMatch) and as journalctl(1) takes them.
/// </summary>
public sealed class JournalMatch
{
    private JournalMatch(IReadOnlyList<string> terms) => Terms = terms;

    /// <summary>No match: every entry.</summary>
    public static JournalMatch All { get; } = new([]);

    /// <summary>The terms and <c>+</c> separators, in order, as journalctl arguments.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Parses a journalmatch value (whitespace-separated; fail2ban splits it the same way).</summary>
    /// <exception cref="FormatException">A term is not <c>FIELD=value</c> with a valid journal field name.</exception>
    public static JournalMatch Parse(string? text)
    {
        var terms = (text ?? string.Empty).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var term in terms)
        {
            if (term != "+" && !IsTerm(term))
            {
                throw new FormatException($"journalmatch term '{term}' is not FIELD=value with an upper-case journal field name");
            }
        }

        if (terms.Length > 0 && (terms[0] == "+" || terms[^1] == "+"))
        {
            throw new FormatException("journalmatch cannot start or end with '+'");
        }

        return terms.Length == 0 ? All : new JournalMatch(terms);
    }

    /// <summary>The terms as one line (the source id uses it).</summary>
    public override string ToString() => string.Join(' ', Terms);

    // Journal field names (sd_journal_add_match(3), systemd.journal-fields(7)): upper-case
    // letters, digits and underscores, not starting with a digit. Checking this also keeps a term
    // from ever being read as a journalctl option.
    private static bool IsTerm(string term)
    {
        var eq = term.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || char.IsAsciiDigit(term[0]))
        {
            return false;
        }

        foreach (var c in term.AsSpan(0, eq))
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
