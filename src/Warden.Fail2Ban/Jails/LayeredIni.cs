using System.Text.RegularExpressions;
using Warden.Fail2Ban.Ini;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Several INI files read as one, the way fail2ban reads jail.conf, jail.d/*.conf, jail.local and
/// jail.d/*.local or an action.d file with its includes (client/configparserinc.py): sections of
/// later files add to and override earlier ones key by key; the value a key had before it was
/// overridden stays reachable as <c>%(known/key)s</c> (fail2ban's KNOWN/section); a conditional
/// section <c>[Init?family=inet6]</c> merges into <c>[Init]</c> as keys <c>key?family=inet6</c>;
/// <c>%(name)s</c> resolves in the section, then in [DEFAULT] (configparser's BasicInterpolation),
/// plus <c>%(__name__)s</c>, <c>%(default/key)s</c> and <c>%(section/key)s</c>.
/// </summary>
internal sealed partial class LayeredIni
{
    private const int MaxDepth = 20;
    private const string Default = "DEFAULT";
    private readonly Dictionary<string, IniSection> _sections = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Section names in the order first seen (without KNOWN/ copies).</summary>
    public IReadOnlyList<string> SectionNames => _order;

    /// <summary>Merges a file over what was read before.</summary>
    public void Add(IniFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (var section in file.Sections)
        {
            var name = section.Name;
            var suffix = string.Empty;
            if (Conditional().Match(name) is { Success: true } cond)
            {
                name = cond.Groups[1].Value;
                suffix = cond.Groups[2].Value;
            }

            if (!_sections.TryGetValue(name, out var merged))
            {
                merged = new IniSection(name, section.File, section.Line);
                _sections[name] = merged;
                _order.Add(name);
            }
            else if (name != Default)
            {
                // configparserinc.py keeps the overridden values as KNOWN/<section>.
                var known = Known(name, section);
                foreach (var key in section.Keys)
                {
                    if (merged[key + suffix] is { } previous)
                    {
                        known.Set(key + suffix, previous);
                    }
                }
            }

            foreach (var key in section.Keys)
            {
                merged.Set(key + suffix, section[key]!);
            }
        }
    }

    /// <summary>Sets a [DEFAULT] value that files may override (fail2ban's merge_defaults).</summary>
    public void AddDefault(string key, string value, string origin)
    {
        if (!_sections.TryGetValue(Default, out var defaults))
        {
            defaults = new IniSection(Default, origin, 0);
            _sections[Default] = defaults;
        }

        if (!defaults.Contains(key))
        {
            defaults.Set(key, new IniValue(value, origin, 0));
        }
    }

    /// <summary>The raw value of a key in a section or, failing that, in [DEFAULT].</summary>
    public IniValue? Raw(string section, string key) =>
        (_sections.GetValueOrDefault(section)?[key]) ?? (_sections.GetValueOrDefault(Default)?[key]);

    /// <summary>The merged section, or <c>null</c>.</summary>
    public IniSection? Section(string name) => _sections.GetValueOrDefault(name);

    /// <summary>
    /// The interpolated value of a key, or <c>null</c> when it is not set. <paramref name="vars"/>
    /// (lower-case keys, final values) win over the section's own values, as configparser's
    /// <c>vars</c> do; fail2ban passes a jail's options this way into action.d files.
    /// </summary>
    /// <exception cref="ConfigException">A reference cannot be resolved; the error names where the value was written.</exception>
    public string? Get(string section, string key, IReadOnlyDictionary<string, string>? vars = null)
    {
        if (vars is not null && vars.TryGetValue(key.ToLowerInvariant(), out var given))
        {
            return given;
        }

        var raw = Raw(section, key);
        return raw is null ? null : Interpolate(section, raw, raw.Text, 0, vars);
    }

    /// <summary>
    /// A value addressed fail2ban's <c>get_ex</c> way: <c>key</c>, <c>section/key</c>,
    /// <c>known/key</c> or <c>default/key</c>, read from <paramref name="section"/>'s point of view.
    /// </summary>
    public string? GetQualified(string section, string name, IReadOnlyDictionary<string, string>? vars = null)
    {
        var slash = name.IndexOf('/');
        if (slash > 0)
        {
            var (lookIn, key) = Qualify(section, name[..slash], name[(slash + 1)..]);
            if (lookIn is not null && _sections.GetValueOrDefault(lookIn)?[key] is { } value)
            {
                return Interpolate(lookIn.StartsWith("KNOWN/", StringComparison.Ordinal) ? section : lookIn, value, value.Text, 0, vars);
            }

            if (name[..slash].Equals("known", StringComparison.OrdinalIgnoreCase) || name[..slash].Equals("default", StringComparison.OrdinalIgnoreCase))
            {
                return _sections.GetValueOrDefault(Default)?[key] is { } fallback ? Interpolate(Default, fallback, fallback.Text, 0, vars) : null;
            }

            return null;
        }

        return Get(section, name, vars);
    }

    private IniSection Known(string name, IniSection origin)
    {
        var knownName = "KNOWN/" + name;
        if (!_sections.TryGetValue(knownName, out var known))
        {
            known = new IniSection(knownName, origin.File, origin.Line);
            _sections[knownName] = known;
        }

        return known;
    }

    private static (string? Section, string Key) Qualify(string section, string prefix, string key) =>
        prefix.ToLowerInvariant() switch
        {
            "known" => ("KNOWN/" + section, key),
            "default" => (Default, key),
            _ => (prefix, key),
        };

    private string Interpolate(string section, IniValue origin, string text, int depth, IReadOnlyDictionary<string, string>? vars)
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
            result.Append(Resolve(section, origin, name, depth, vars));
            i = close + 2;
        }

        return result.ToString();
    }

    private string Resolve(string section, IniValue origin, string name, int depth, IReadOnlyDictionary<string, string>? vars)
    {
        if (name == "__name__")
        {
            return section;
        }

        if (vars is not null && vars.TryGetValue(name, out var given))
        {
            return given;
        }

        var slash = name.IndexOf('/');
        if (slash > 0)
        {
            var (lookIn, key) = Qualify(section, name[..slash], name[(slash + 1)..]);
            var found = lookIn is null ? null : _sections.GetValueOrDefault(lookIn)?[key];
            if (found is not null)
            {
                // A KNOWN/ value is still read in its own section's context.
                var context = lookIn!.StartsWith("KNOWN/", StringComparison.Ordinal) ? section : lookIn;
                return Interpolate(context, found, found.Text, depth + 1, vars);
            }

            // configparserinc.py falls back to [DEFAULT] for known/ and default/ references.
            if (_sections.GetValueOrDefault(Default)?[key] is { } fallback)
            {
                return Interpolate(Default, fallback, fallback.Text, depth + 1, vars);
            }

            throw new ConfigException(origin.File, origin.Line, $"'%({name})s' refers to an option that is not set");
        }

        var value = Raw(section, name)
            ?? throw new ConfigException(origin.File, origin.Line, $"'%({name})s' refers to an option that is not set in [{section}] or [DEFAULT]");
        return Interpolate(section, value, value.Text, depth + 1, vars);
    }

    [GeneratedRegex(@"^(\w+)(\?.+)$")]
    private static partial Regex Conditional();
}
