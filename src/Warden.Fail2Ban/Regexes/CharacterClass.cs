namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Reads a .NET character class for <see cref="LiteralParser"/>. A class of a few plain characters
/// (<c>[aA]</c>, <c>[-/.]</c>) becomes their exact set; anything else (ranges, negation,
/// escapes, subtraction, case-insensitive letters) is one unknown character. Pure.
/// </summary>
internal static class CharacterClass
{
    private const int MaxMembers = 4;

    /// <summary>Parses from just after '[' and leaves <paramref name="at"/> just after the closing ']'.</summary>
    /// <exception cref="FormatException">The class is not closed.</exception>
    public static LiteralInfo Parse(string pattern, ref int at, bool caseless)
    {
        var start = at;
        var simple = true;
        if (at < pattern.Length && pattern[at] == '^')
        {
            simple = false;
            at++;
        }

        var first = true;
        var members = new List<char>();
        while (true)
        {
            if (at >= pattern.Length)
            {
                throw new FormatException($"unterminated class at {start - 1}");
            }

            var c = pattern[at++];
            if (c == ']' && !first)
            {
                break;
            }

            first = false;
            switch (c)
            {
                case '\\':
                    // An escape inside a class: skip its operand (\p{..} included); not modelled.
                    simple = false;
                    if (at < pattern.Length && pattern[at] is 'p' or 'P')
                    {
                        var end = pattern.IndexOf('}', at);
                        at = end >= 0 ? end + 1 : throw new FormatException("unterminated \\p{} in class");
                    }
                    else
                    {
                        at++;
                    }

                    break;
                case '[':
                    // Subtraction -[...] or a literal '['; either way not modelled.
                    simple = false;
                    if (at - 2 >= start && pattern[at - 2] == '-')
                    {
                        Parse(pattern, ref at, caseless);
                        if (at >= pattern.Length || pattern[at] != ']')
                        {
                            throw new FormatException("subtraction must end the class");
                        }
                    }

                    break;
                case '-':
                    simple = false;
                    break;
                default:
                    members.Add(c);
                    break;
            }
        }

        if (!simple || members.Count == 0 || members.Count > MaxMembers)
        {
            return LiteralInfo.Any;
        }

        var exact = new List<LiteralInfo.Lit>();
        foreach (var member in members)
        {
            if (LiteralParser.Literal(member, caseless).Exact is not [var lit])
            {
                return LiteralInfo.Any;
            }

            exact.Add(lit);
        }

        return new LiteralInfo([.. exact.Distinct()], []);
    }
}
