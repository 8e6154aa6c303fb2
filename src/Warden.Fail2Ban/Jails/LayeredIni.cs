using Warden.Fail2Ban.Ini;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Several INI files read as one, the way fail2ban reads jail.conf, jail.d/*.conf, jail.local and
/// jail.d/*.local (client/configreader.py): sections of later files add to and override earlier
/// ones key by key, and <c>%(name)s</c> resolves in the section, then in [DEFAULT]
/// (Python configparser's BasicInterpolation; fail2ban adds <c>%(__name__)s</c> = section name).
/// </summary>
internal sealed class LayeredIni
{
    private const int MaxDepth = 20;
    private readonly Dictionary<string, IniSection> _sections = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Section names in the order first seen.</summary>
    public IReadOnlyList<string> SectionNames => _order;

    /// <summary>Merges a file over what was read before.</summary>
    public void Add(IniFile file)
    {
        foreach (var section in file.Sections)
        {
            if (!_sections.TryGetValue(section.Name, out var merged))
            {
                merged = new IniSection(section.Name, section.File, section.Line);
                _sections[section.Name] = merged;
                _order.Add(section.Name);
            }

            foreach (var key in section.Keys)
            {
                merged.Set(key, section[key]!);
            }
        }
    }

    /// <summary>The raw value of a key in a section or, failing that, in [DEFAULT].</summary>
    public IniValue? Raw(string section, string key) =>
        (_sections.GetValueOrDefault(section)?[key]) ?? (_sections.GetValueOrDefault("DEFAULT")?[key]);

    /// <summary>The merged section, or <c>null</c>.</summary>
    public IniSection? Section(string name) => _sections.GetValueOrDefault(name);

    /// <summary>The interpolated value of a key, or <c>null</c> when it is not set.</summary>
    /// <exception cref="ConfigException">A reference cannot be resolved; the error names where the value was written.</exception>
    public string? Get(string section, string key)
    {
        var raw = Raw(section, key);
        return raw is null ? null : Interpolate(section, raw, raw.Text, 0);
    }

    private string Interpolate(string section, IniValue origin, string text, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ConfigException(origin.File, origin.Line, $"interpolation nested deeper than {MaxDepth} levels (a loop?) in '{text}'");
        }

        if (!text.Contains('%'))
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '%')
            {
                result.Append(c);
                i++;
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '%')
            {
                result.Append('%');
                i += 2;
                continue;
            }

            var close = text.IndexOf(")s", i, StringComparison.Ordinal);
            if (i + 1 >= text.Length || text[i + 1] != '(' || close < 0)
            {
                throw new ConfigException(origin.File, origin.Line, $"'%' must be followed by '%' or '(name)s' in '{text}'");
            }

            var name = text[(i + 2)..close].ToLowerInvariant();
            result.Append(Resolve(section, origin, name, depth));
            i = close + 2;
        }

        return result.ToString();
    }

    private string Resolve(string section, IniValue origin, string name, int depth)
    {
        if (name == "__name__")
        {
            return section;
        }

        var slash = name.IndexOf('/');
        var lookIn = section;
        if (slash > 0)
        {
            lookIn = name[..slash] is "default" ? "DEFAULT" : name[..slash];
            name = name[(slash + 1)..];
            if (lookIn == "known")
            {
                lookIn = "DEFAULT";
            }
        }

        var value = Raw(lookIn, name)
            ?? throw new ConfigException(origin.File, origin.Line, $"'%({name})s' refers to an option that is not set in [{section}] or [DEFAULT]");
        return Interpolate(lookIn, value, value.Text, depth + 1);
    }
}
