namespace Warden.Fail2Ban.Ini;

/// <summary>
/// One configuration file in the INI dialect fail2ban reads through Python's configparser
/// (fail2ban/client/configparserinc.py): <c>[section]</c> headers, <c>key = value</c> or
/// <c>key: value</c>, values continued on more-indented lines, full-line comments starting with
/// <c>#</c> or <c>;</c>, and inline comments starting with <c>;</c> after whitespace. Immutable
/// once parsed.
/// </summary>
public sealed class IniFile
{
    private readonly List<IniSection> _sections;

    private IniFile(string path, List<IniSection> sections)
    {
        Path = path;
        _sections = sections;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Sections in file order. As configparser in strict mode (fail2ban's setting), a
    /// section or an option repeated within one file is an error.</summary>
    public IReadOnlyList<IniSection> Sections => _sections;

    /// <summary>The named section (case-sensitive, as in fail2ban), or <c>null</c>.</summary>
    public IniSection? this[string name] => _sections.Find(s => s.Name == name);

    /// <summary>Reads and parses a file.</summary>
    /// <exception cref="ConfigException">The file cannot be read or is not valid INI.</exception>
    public static IniFile Load(string path)
    {
        string text;
        if (Config.SpecialFiles.ConfigProblem(path) is { } problem)
        {
            throw new ConfigException(path, 0, problem);
        }

        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, 0, $"cannot read: {ex.Message}", ex);
        }

        return Parse(path, text);
    }

    /// <summary>Parses text as the content of <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The text is not valid INI; the error names the line.</exception>
    public static IniFile Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new List<IniSection>();
        IniSection? section = null;
        string? key = null;
        var keyLine = 0;
        var keyIndent = 0;
        var value = new List<string>();

        void FlushValue()
        {
            if (key is null || section is null)
            {
                return;
            }

            // configparser keeps empty lines inside a value but drops trailing ones.
            while (value.Count > 1 && value[^1].Length == 0)
            {
                value.RemoveAt(value.Count - 1);
            }

            section.Set(key, new IniValue(string.Join('\n', value), path, keyLine));
            key = null;
            value.Clear();
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var raw = lines[i].TrimEnd('\r');
            var stripped = raw.Trim();
            var indent = raw.Length - raw.TrimStart().Length;

            if (stripped.StartsWith('#') || stripped.StartsWith(';'))
            {
                continue;
            }

            var content = StripInlineComment(raw);
            var contentStripped = content.Trim();
            if (contentStripped.Length == 0)
            {
                if (key is not null)
                {
                    value.Add(string.Empty);
                }

                continue;
            }

            if (key is not null && indent > keyIndent)
            {
                value.Add(contentStripped);
                continue;
            }

            FlushValue();
            // configparser's SECTCRE is "\[(?P<header>.+)\]" matched at the start: the header
            // runs to the last ']' and anything after it is ignored.
            var close = contentStripped.LastIndexOf(']');
            if (contentStripped.StartsWith('[') && close > 1)
            {
                var name = contentStripped[1..close];
                if (sections.Exists(s => s.Name == name))
                {
                    throw new ConfigException(path, lineNo, $"section [{name}] already defined in this file");
                }

                section = new IniSection(name, path, lineNo);
                sections.Add(section);
                continue;
            }

            if (section is null)
            {
                throw new ConfigException(path, lineNo, "a line outside of any [section]: not a configuration file? (its content is not quoted: it could be a secret)");
            }

            var delimiter = contentStripped.IndexOfAny(['=', ':']);
            if (delimiter <= 0)
            {
                throw new ConfigException(path, lineNo, $"expected 'name = value', found '{Quote.Clip(contentStripped)}'");
            }

            key = contentStripped[..delimiter].Trim();
            if (section.Contains(key))
            {
                throw new ConfigException(path, lineNo, $"option '{key}' already set in section [{section.Name}] of this file");
            }

            keyLine = lineNo;
            keyIndent = indent;
            value.Add(contentStripped[(delimiter + 1)..].Trim());
        }

        FlushValue();
        return new IniFile(path, sections);
    }

    private static string StripInlineComment(string line)
    {
        // An inline comment starts with ';' preceded by whitespace (configparser's inline_comment_prefixes).
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == ';' && char.IsWhiteSpace(line[i - 1]))
            {
                return line[..i];
            }
        }

        return line;
    }

}
