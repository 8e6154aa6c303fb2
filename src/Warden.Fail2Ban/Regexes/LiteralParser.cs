using System.Globalization;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Reads .NET regex syntax (as <see cref="PythonRegex"/> writes it) just far enough for
/// <see cref="RequiredLiterals"/>: literals, groups of every kind, alternation, quantifiers, classes
/// and escapes, inline options. Zero-width constructs (anchors, look-arounds, \b) match the empty
/// text; what it does not model is "any text". Throws <see cref="FormatException"/> on syntax it
/// cannot follow, which makes the caller give up on the whole pattern. Single use, not thread-safe.
/// </summary>
internal sealed class LiteralParser(string pattern, bool ignoreCase)
{
    private int _at;

    public LiteralInfo ParseAll()
    {
        var info = ParseAlternation(ignoreCase);
        if (_at != pattern.Length)
        {
            throw new FormatException($"unbalanced ')' at {_at}");
        }

        return info;
    }

    private bool More => _at < pattern.Length;

    private char Peek => pattern[_at];

    private LiteralInfo ParseAlternation(bool caseless)
    {
        // Inline options (?i) last to the end of the enclosing group, across its branches.
        var branches = new List<LiteralInfo> { ParseSequence(ref caseless) };
        while (More && Peek == '|')
        {
            _at++;
            branches.Add(ParseSequence(ref caseless));
        }

        return LiteralAlgebra.Alternation(branches);
    }

    private LiteralInfo ParseSequence(ref bool caseless)
    {
        var items = new List<LiteralInfo>();
        while (More && Peek is not '|' and not ')')
        {
            var atom = ParseAtom(ref caseless);
            items.Add(ParseQuantifier(atom));
        }

        return LiteralAlgebra.Sequence(items);
    }

    private LiteralInfo ParseAtom(ref bool caseless)
    {
        var c = pattern[_at++];
        switch (c)
        {
            case '(':
                return ParseGroup(ref caseless);
            case '[':
                return CharacterClass.Parse(pattern, ref _at, caseless);
            case '\\':
                return ParseEscape(caseless);
            case '.':
                return LiteralInfo.Any;
            case '^' or '$':
                return LiteralInfo.Empty;
            case '*' or '+' or '?':
                throw new FormatException($"quantifier without operand at {_at - 1}");
            case '{' when IsQuantifier(_at - 1, out _, out _, out _):
                throw new FormatException($"quantifier without operand at {_at - 1}");
            default:
                return Literal(c, caseless);
        }
    }

    private LiteralInfo ParseGroup(ref bool caseless)
    {
        if (!More || Peek != '?')
        {
            return Close(ParseAlternation(caseless));
        }

        _at++;
        var kind = More ? Peek : throw new FormatException("pattern ends inside a group");
        switch (kind)
        {
            case ':' or '>':
                _at++;
                return Close(ParseAlternation(caseless));
            case '=' or '!':
                _at++;
                Close(ParseAlternation(caseless));
                return LiteralInfo.Empty;
            case '#':
                var end = pattern.IndexOf(')', _at);
                _at = end >= 0 ? end + 1 : throw new FormatException("unterminated comment");
                return LiteralInfo.Empty;
            case '(':
                return ParseConditional(caseless);
            case '<' when _at + 1 < pattern.Length && pattern[_at + 1] is '=' or '!':
                _at += 2;
                Close(ParseAlternation(caseless));
                return LiteralInfo.Empty;
            case '<' or '\'':
                var close = kind == '<' ? '>' : '\'';
                var nameEnd = pattern.IndexOf(close, _at + 1);
                _at = nameEnd >= 0 ? nameEnd + 1 : throw new FormatException("unterminated group name");
                return Close(ParseAlternation(caseless));
            default:
                return ParseOptions(ref caseless);
        }
    }

    private LiteralInfo ParseConditional(bool caseless)
    {
        // (?(name)yes|no) or (?(?=expression)yes|no): the condition is zero-width; the construct
        // matches its yes branch or its no branch (empty when absent).
        _at++;
        if (More && Peek == '?')
        {
            ParseGroup(ref caseless);
        }
        else
        {
            Close(ParseAlternation(caseless));
        }

        var branches = new List<LiteralInfo> { ParseSequence(ref caseless) };
        while (More && Peek == '|')
        {
            _at++;
            branches.Add(ParseSequence(ref caseless));
        }

        if (branches.Count == 1)
        {
            branches.Add(LiteralInfo.Empty);
        }

        return Close(LiteralAlgebra.Alternation(branches));
    }

    private LiteralInfo ParseOptions(ref bool caseless)
    {
        var on = true;
        var scoped = caseless;
        while (More && Peek is not ':' and not ')')
        {
            switch (pattern[_at++])
            {
                case '-':
                    on = false;
                    break;
                case 'i':
                    scoped = on;
                    break;
                case 'm' or 's' or 'n':
                    break;
                default:
                    // x (pattern whitespace) changes what a literal is; anything else is unknown.
                    throw new FormatException($"unsupported inline option at {_at - 1}");
            }
        }

        if (!More)
        {
            throw new FormatException("pattern ends inside options");
        }

        if (pattern[_at++] == ')')
        {
            caseless = scoped;
            return LiteralInfo.Empty;
        }

        return Close(ParseAlternation(scoped));
    }

    private LiteralInfo Close(LiteralInfo inner)
    {
        if (!More || Peek != ')')
        {
            throw new FormatException("missing ')'");
        }

        _at++;
        return inner;
    }

    private LiteralInfo ParseEscape(bool caseless)
    {
        if (!More)
        {
            throw new FormatException("pattern ends with '\\'");
        }

        var c = pattern[_at++];
        switch (c)
        {
            case 'b' or 'B' or 'A' or 'Z' or 'z' or 'G':
                return LiteralInfo.Empty;
            case 'p' or 'P':
                var end = pattern.IndexOf('}', _at);
                _at = end >= 0 ? end + 1 : throw new FormatException("unterminated \\p{}");
                return LiteralInfo.Any;
            case 'k':
                var close = More && Peek == '\'' ? '\'' : '>';
                var nameEnd = pattern.IndexOf(close, _at + 1);
                _at = nameEnd >= 0 ? nameEnd + 1 : throw new FormatException("unterminated \\k");
                return LiteralInfo.Any;
            case 'x':
                _at += 2;
                return LiteralInfo.Any;
            case 'u':
                _at += 4;
                return LiteralInfo.Any;
            case 'c':
                _at += 1;
                return LiteralInfo.Any;
            case >= '0' and <= '9':
                while (More && char.IsAsciiDigit(Peek))
                {
                    _at++;
                }

                return LiteralInfo.Any;
            default:
                // Letters are character kinds (\d \w \s ...) or control characters (\n \t ...):
                // neither is a plain literal; an escaped punctuation mark or space is one.
                return char.IsAsciiLetter(c) ? LiteralInfo.Any : Literal(c, caseless);
        }
    }

    private LiteralInfo ParseQuantifier(LiteralInfo atom)
    {
        if (!More)
        {
            return atom;
        }

        int min, max;
        switch (Peek)
        {
            case '*':
                (min, max) = (0, -1);
                _at++;
                break;
            case '+':
                (min, max) = (1, -1);
                _at++;
                break;
            case '?':
                (min, max) = (0, 1);
                _at++;
                break;
            case '{' when IsQuantifier(_at, out min, out max, out var length):
                _at += length;
                break;
            default:
                return atom;
        }

        if (More && Peek == '?')
        {
            _at++;
        }

        if (More && Peek is '*' or '+' or '?' || (More && Peek == '{' && IsQuantifier(_at, out _, out _, out _)))
        {
            throw new FormatException($"nested quantifier at {_at}");
        }

        return LiteralAlgebra.Repeat(atom, min, max);
    }

    /// <summary>.NET reads {n}, {n,} and {n,m} as quantifiers; any other '{' is a literal brace.</summary>
    private bool IsQuantifier(int at, out int min, out int max, out int length)
    {
        min = max = length = 0;
        var close = pattern.IndexOf('}', at);
        if (close < 0)
        {
            return false;
        }

        var body = pattern.AsSpan(at + 1, close - at - 1);
        var comma = body.IndexOf(',');
        var first = comma < 0 ? body : body[..comma];
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out min))
        {
            return false;
        }

        if (comma < 0)
        {
            max = min;
        }
        else if (body[(comma + 1)..].IsEmpty)
        {
            max = -1;
        }
        else if (!int.TryParse(body[(comma + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out max))
        {
            return false;
        }

        length = close - at + 1;
        return true;
    }

    internal static LiteralInfo Literal(char c, bool caseless)
    {
        if (!caseless || !char.IsLetter(c))
        {
            // Outside ASCII, IgnoreCase equivalences are not modelled; only exact ASCII is kept.
            return c < 128 || !caseless ? LiteralInfo.Char(c, false) : LiteralInfo.Any;
        }

        return char.IsAsciiLetter(c) && "kKsSiI".IndexOf(c, StringComparison.Ordinal) < 0 ? LiteralInfo.Char(c, true) : LiteralInfo.Any;
    }
}
