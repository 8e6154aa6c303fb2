namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Finds strings of which every match of a (translated, .NET syntax) pattern must contain at
/// least one: "Failed " for <c>^Failed \S+ for</c>, {"Illegal user", "Invalid user"} for
/// <c>^(?:Illegal|Invalid) user</c>. A line holding none of them cannot match, so it need not
/// reach the regex engine. The analysis is conservative: any construct it does not understand
/// yields "no requirement" for that part, never a wrong one. Zero-width assertions are neutral,
/// character classes and backreferences contribute nothing, optional parts are dropped,
/// alternations need a requirement in every branch.
/// </summary>
internal static class RequiredLiterals
{
    private const int MinLength = 3;
    private const int MaxAlternatives = 24;

    /// <summary>The strings (one must occur), or null when nothing useful is required.</summary>
    public static IReadOnlyList<string>? Find(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            var position = 0;
            var info = ParseAlternation(pattern, ref position);
            if (position != pattern.Length)
            {
                return null;
            }

            var best = info.Best();
            return best is not null && best.All(s => s.Length >= MinLength) ? best : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Info ParseAlternation(string p, ref int i)
    {
        var branches = new List<Info> { ParseSequence(p, ref i) };
        while (i < p.Length && p[i] == '|')
        {
            i++;
            branches.Add(ParseSequence(p, ref i));
        }

        if (branches.Count == 1)
        {
            return branches[0];
        }

        if (branches.All(b => b.Exacts is not null))
        {
            var exacts = branches.SelectMany(b => b.Exacts!).Distinct(StringComparer.Ordinal).ToList();
            if (exacts.Count <= MaxAlternatives)
            {
                return Info.OfExacts(exacts);
            }
        }

        var union = new List<string>();
        foreach (var branch in branches)
        {
            var best = branch.Best();
            if (best is null)
            {
                return Info.Nothing;
            }

            union.AddRange(best);
        }

        union = [.. union.Distinct(StringComparer.Ordinal)];
        return union.Count <= MaxAlternatives ? new Info(null, union) : Info.Nothing;
    }

    private static Info ParseSequence(string p, ref int i)
    {
        var candidates = new List<IReadOnlyList<string>>();
        List<string> run = [string.Empty];
        var allExact = true;
        while (i < p.Length && p[i] is not ('|' or ')'))
        {
            var atom = ParseAtom(p, ref i);
            var (min, max) = ParseQuantifier(p, ref i);
            if (max == 0)
            {
                // x{0}: nothing.
                continue;
            }

            if (min == 1 && max == 1 && atom.Exacts is { } exacts)
            {
                run = Concat(run, exacts, candidates);
                continue;
            }

            allExact = false;
            if (min == 0)
            {
                FlushRun(ref run, candidates);
                continue;
            }

            // Repeated at least once: the atom's own requirement holds; what follows is not adjacent to it.
            if (atom.Exacts is { } repeated)
            {
                run = Concat(run, repeated, candidates);
            }

            FlushRun(ref run, candidates);
            if (atom.Best() is { } required)
            {
                candidates.Add(required);
            }
        }

        if (allExact)
        {
            return Info.OfExacts(run);
        }

        FlushRun(ref run, candidates);
        return new Info(null, Pick(candidates));
    }

    // Appends each alternative to each string of the run; a run that would grow too wide is
    // recorded as a candidate and restarted from the alternatives.
    private static List<string> Concat(List<string> run, IReadOnlyList<string> tails, List<IReadOnlyList<string>> candidates)
    {
        if (run.Count * tails.Count > MaxAlternatives)
        {
            FlushRun(ref run, candidates);
            return [.. tails];
        }

        var result = new List<string>(run.Count * tails.Count);
        foreach (var head in run)
        {
            foreach (var tail in tails)
            {
                result.Add(head + tail);
            }
        }

        return result;
    }

    private static void FlushRun(ref List<string> run, List<IReadOnlyList<string>> candidates)
    {
        if (run.Exists(r => r.Length > 0))
        {
            candidates.Add([.. run.Distinct(StringComparer.Ordinal)]);
        }

        run = [string.Empty];
    }

    private static IReadOnlyList<string>? Pick(List<IReadOnlyList<string>> candidates)
    {
        // The most selective requirement: longest shortest literal, then fewest alternatives.
        IReadOnlyList<string>? best = null;
        foreach (var candidate in candidates)
        {
            if (best is null || Score(candidate) > Score(best))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static int Score(IReadOnlyList<string> literals) => (literals.Min(l => l.Length) * 100) - literals.Count;

    private static Info ParseAtom(string p, ref int i)
    {
        var c = p[i];
        switch (c)
        {
            case '(':
                return ParseGroup(p, ref i);
            case '[':
                return ParseClass(p, ref i);
            case '.':
                i++;
                return Info.Nothing;
            case '^' or '$':
                i++;
                return Info.Empty;
            case '\\':
                return ParseEscape(p, ref i);
            case '*' or '+' or '?' or '{' when c != '{' || IsQuantifier(p, i):
                throw new FormatException("quantifier without atom");
            default:
                i++;
                return Info.OfExacts([c.ToString()]);
        }
    }

    private static Info ParseEscape(string p, ref int i)
    {
        if (i + 1 >= p.Length)
        {
            throw new FormatException("trailing backslash");
        }

        var c = p[i + 1];
        i += 2;
        switch (c)
        {
            case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G':
                return Info.Empty;
            case 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 'p' or 'P':
                if (c is 'p' or 'P')
                {
                    SkipBraces(p, ref i);
                }

                return Info.Nothing;
            case 'k':
                SkipName(p, ref i);
                return Info.Nothing;
            case 't':
                return Info.OfExacts(["\t"]);
            case 'n':
                return Info.OfExacts(["\n"]);
            case 'r':
                return Info.OfExacts(["\r"]);
            case 'x' or 'u' or 'c' or 'e' or 'f' or 'v' or 'a':
                // Numeric or control escapes: treated as an unknown single character.
                SkipHex(p, ref i, c);
                return Info.Nothing;
            default:
                if (char.IsAsciiDigit(c))
                {
                    while (i < p.Length && char.IsAsciiDigit(p[i]))
                    {
                        i++;
                    }

                    return Info.Nothing;
                }

                return Info.OfExacts([c.ToString()]);
        }
    }

    private static Info ParseGroup(string p, ref int i)
    {
        i++;
        var neutral = false;
        var opaque = false;
        if (i < p.Length && p[i] == '?')
        {
            var rest = p.AsSpan(i + 1);
            if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!"))
            {
                neutral = true;
                i += rest.StartsWith("<") ? 3 : 2;
            }
            else if (rest.StartsWith("<") || rest.StartsWith("'"))
            {
                var close = p.IndexOf(rest[0] == '<' ? '>' : '\'', i + 2);
                i = close + 1;
            }
            else if (rest.StartsWith(":") || rest.StartsWith(">"))
            {
                i += 2;
            }
            else if (rest.StartsWith("("))
            {
                // Conditional: not analysed.
                opaque = true;
                i = p.IndexOf(')', i + 2) + 1;
            }
            else
            {
                // Inline options (?imsx-imsx:...) or (?imsx); the caller handles case globally.
                var j = i + 1;
                while (j < p.Length && p[j] is not (':' or ')'))
                {
                    j++;
                }

                if (j >= p.Length)
                {
                    throw new FormatException("unterminated group");
                }

                if (p[j] == ')')
                {
                    i = j + 1;
                    return Info.Empty;
                }

                i = j + 1;
            }
        }

        var inner = ParseAlternation(p, ref i);
        if (i >= p.Length || p[i] != ')')
        {
            throw new FormatException("unterminated group");
        }

        i++;
        return neutral ? Info.Empty : opaque ? Info.Nothing : inner;
    }

    private static (int Min, int Max) ParseQuantifier(string p, ref int i)
    {
        if (i >= p.Length)
        {
            return (1, 1);
        }

        (int, int) result;
        switch (p[i])
        {
            case '*':
                result = (0, int.MaxValue);
                i++;
                break;
            case '+':
                result = (1, int.MaxValue);
                i++;
                break;
            case '?':
                result = (0, 1);
                i++;
                break;
            case '{' when IsQuantifier(p, i):
                var close = p.IndexOf('}', i);
                var body = p[(i + 1)..close];
                var comma = body.IndexOf(',', StringComparison.Ordinal);
                var min = int.Parse(comma < 0 ? body : body[..comma], System.Globalization.CultureInfo.InvariantCulture);
                var max = comma < 0 ? min : comma == body.Length - 1 ? int.MaxValue : int.Parse(body[(comma + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                result = (min, max);
                i = close + 1;
                break;
            default:
                return (1, 1);
        }

        if (i < p.Length && p[i] is '?' or '+')
        {
            i++;
        }

        return result;
    }

    private static bool IsQuantifier(string p, int i)
    {
        var close = p.IndexOf('}', i);
        if (close < 0)
        {
            return false;
        }

        var body = p.AsSpan(i + 1, close - i - 1);
        var comma = body.IndexOf(',');
        return body.Length > 0 && body[0] != ','
            && (comma < 0 ? body : body[..comma]).IndexOfAnyExceptInRange('0', '9') < 0
            && (comma < 0 || body[(comma + 1)..].IndexOfAnyExceptInRange('0', '9') < 0);
    }

    // A class of a few plain characters ([iI], [Aa]) is a small set of exact strings; anything
    // else (ranges, escapes, negation) is just "some character".
    private static Info ParseClass(string p, ref int i)
    {
        var start = ++i;
        var plain = true;
        if (i < p.Length && p[i] == '^')
        {
            plain = false;
            i++;
        }

        if (i < p.Length && p[i] == ']')
        {
            plain = false;
            i++;
        }

        while (i < p.Length && p[i] != ']')
        {
            if (p[i] is '\\' or '-' or '[')
            {
                plain = false;
            }

            i += p[i] == '\\' ? 2 : 1;
        }

        if (i >= p.Length)
        {
            throw new FormatException("unterminated class");
        }

        var body = p[start..i];
        i++;
        return plain && body.Length is > 0 and <= 4
            ? Info.OfExacts([.. body.Distinct().Select(c => c.ToString())])
            : Info.Nothing;
    }

    private static void SkipBraces(string p, ref int i)
    {
        if (i < p.Length && p[i] == '{')
        {
            i = p.IndexOf('}', i) + 1;
        }
    }

    private static void SkipName(string p, ref int i)
    {
        if (i < p.Length && p[i] is '<' or '\'')
        {
            i = p.IndexOf(p[i] == '<' ? '>' : '\'', i) + 1;
        }
    }

    private static void SkipHex(string p, ref int i, char kind)
    {
        var digits = kind switch { 'x' => 2, 'u' => 4, 'c' => 1, _ => 0 };
        i = Math.Min(p.Length, i + digits);
    }

    /// <summary>
    /// What a part of a pattern is known to match: exactly one of a few strings, or text that
    /// contains one of several required strings (or nothing known).
    /// </summary>
    private sealed record Info(IReadOnlyList<string>? Exacts, IReadOnlyList<string>? Required)
    {
        public static Info Nothing { get; } = new(null, null);

        public static Info Empty { get; } = new([string.Empty], null);

        public static Info OfExacts(IReadOnlyList<string> exacts) => new(exacts, null);

        public IReadOnlyList<string>? Best() => Exacts is { } exacts && exacts.All(e => e.Length > 0) ? exacts : Required;
    }
}
