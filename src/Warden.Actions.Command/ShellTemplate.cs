using System.Text;
using System.Text.RegularExpressions;

namespace Warden.Actions.Command;

/// <summary>
/// Puts ban values into a command template without ever putting them into the script text: each
/// ban tag becomes a reference to an environment variable that holds the value, quoted for the
/// place it stands in (<c>"${W}"</c> unquoted, <c>${W}</c> inside double quotes,
/// <c>'"${W}"'</c> inside single quotes). The shell expands a variable exactly once and never
/// parses its value as code, so a log line full of <c>;`$()'"</c> can only ever be data.
/// </summary>
/// <remarks>
/// fail2ban (server/action.py replaceDynamicTags) backslash-escapes values, or moves values with
/// special characters into positional variables referenced unquoted, which splits and globs them
/// and does not work inside single quotes. Warden quotes every reference by context; if the
/// context tracking is ever wrong, the worst outcome is a wrongly quoted expansion, not code.
/// </remarks>
internal static partial class ShellTemplate
{
    /// <summary>Renders <paramref name="template"/>: returns the script and the variables it references.</summary>
    /// <param name="template">The command with ban tags (<c>&lt;ip&gt;</c>, <c>&lt;F-USER&gt;</c>...).</param>
    /// <param name="values">Ban tag values by tag name; a tag not in it stays as written.</param>
    public static (string Script, Dictionary<string, string> Environment) Render(string template, Func<string, string?> values)
    {
        var script = new StringBuilder(template.Length + 32);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var contexts = new Stack<char>();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            var top = contexts.Count == 0 ? ' ' : contexts.Peek();
            if (c == '<' && TryTag(template, i, out var tag, out var length) && values(tag) is { } value)
            {
                var variable = "WARDEN_" + NotWord().Replace(tag, "_");
                environment[variable] = value;
                script.Append(Reference(variable, Context(top)));
                i += length;
                continue;
            }

            script.Append(c);
            i++;
            switch (top)
            {
                case '\'':
                    if (c == '\'')
                    {
                        contexts.Pop();
                    }

                    break;
                case '"':
                    if (c == '\\' && i < template.Length)
                    {
                        script.Append(template[i++]);
                    }
                    else if (c == '"')
                    {
                        contexts.Pop();
                    }
                    else if (c == '`')
                    {
                        contexts.Push('`');
                    }
                    else if (c == '$' && i < template.Length && template[i] == '(')
                    {
                        script.Append(template[i++]);
                        contexts.Push('(');
                    }

                    break;
                default:
                    // Plain text: top level, inside $( ) or inside backquotes.
                    if (c == '\\' && i < template.Length)
                    {
                        script.Append(template[i++]);
                    }
                    else if (c == '\'')
                    {
                        contexts.Push('\'');
                    }
                    else if (c == '"')
                    {
                        contexts.Push('"');
                    }
                    else if (c == '`')
                    {
                        if (top == '`')
                        {
                            contexts.Pop();
                        }
                        else
                        {
                            contexts.Push('`');
                        }
                    }
                    else if (c == '(')
                    {
                        contexts.Push('(');
                    }
                    else if (c == ')' && top == '(')
                    {
                        contexts.Pop();
                    }

                    break;
            }
        }

        return (script.ToString(), environment);
    }

    /// <summary>The quoting context a stack top stands for.</summary>
    private static ShellContext Context(char top) => top switch
    {
        '\'' => ShellContext.Single,
        '"' => ShellContext.Double,
        _ => ShellContext.Plain,
    };

    private static string Reference(string variable, ShellContext context) => context switch
    {
        ShellContext.Single => $"'\"${{{variable}}}\"'",
        ShellContext.Double => $"${{{variable}}}",
        _ => $"\"${{{variable}}}\"",
    };

    private static bool TryTag(string text, int start, out string tag, out int length)
    {
        var match = Tag().Match(text, start);
        tag = match.Success && match.Index == start ? match.Groups[1].Value : string.Empty;
        length = match.Length;
        return tag.Length > 0;
    }

    // helpers.py TAG_CRE: a tag is '<' then no space or angle bracket up to '>'.
    [GeneratedRegex("<([^ <>]+)>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\W")]
    private static partial Regex NotWord();
}
