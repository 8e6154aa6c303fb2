using System.Text;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Splits a <c>logcommand</c> into program and arguments as a POSIX shell splits words (blanks
/// separate; '...' keeps everything; "..." keeps everything but a backslash before \ " $ `;
/// a backslash outside quotes keeps the next character), with no expansion of any kind: the
/// command runs without a shell, so <c>$VAR</c>, globs, pipes and <c>;</c> are plain text.
/// </summary>
internal static class CommandWords
{
    /// <summary>Splits <paramref name="text"/>; false with a reason when a quote is not closed.</summary>
    public static bool TryParse(string text, out List<string> words, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        words = [];
        error = null;
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    continue;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        error = $"unclosed ' at character {i + 1}";
                        return false;
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    if (!TryDoubleQuoted(text, ref i, word))
                    {
                        error = $"unclosed \" at character {i + 1}";
                        return false;
                    }

                    break;
                case '\\' when i + 1 < text.Length:
                    word.Append(text[++i]);
                    break;
                default:
                    word.Append(c);
                    break;
            }

            inWord = true;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return true;
    }

    private static bool TryDoubleQuoted(string text, ref int i, StringBuilder word)
    {
        for (var j = i + 1; j < text.Length; j++)
        {
            var c = text[j];
            if (c == '"')
            {
                i = j;
                return true;
            }

            if (c == '\\' && j + 1 < text.Length && text[j + 1] is '\\' or '"' or '$' or '`')
            {
                c = text[++j];
            }

            word.Append(c);
        }

        return false;
    }
}
