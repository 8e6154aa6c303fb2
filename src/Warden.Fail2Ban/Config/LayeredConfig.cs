using System.Diagnostics.CodeAnalysis;
using Warden.Fail2Ban.Ini;

namespace Warden.Fail2Ban.Config;

/// <summary>
/// One configuration as fail2ban sees it (client/configreader.py, client/configparserinc.py):
/// <c>NAME.conf</c>, <c>NAME.d/*.conf</c>, <c>NAME.local</c>, <c>NAME.d/*.local</c> and every file
/// they pull in through <c>[INCLUDES] before/after</c> (each with its own <c>.local</c>), merged in
/// that order; later files override earlier ones option by option, and the value an option had
/// before it was overridden stays reachable as <c>known/OPTION</c>. Values keep the file and line
/// they were written at. Immutable after loading; thread-safe for reads.
/// </summary>
public sealed class LayeredConfig
{
    /// <summary>The section holding options every section inherits.</summary>
    public const string DefaultSection = "DEFAULT";

    private const string KnownPrefix = "KNOWN/";
    private readonly IniSection _defaults = new(DefaultSection, string.Empty, 0);
    private readonly Dictionary<string, IniSection> _sections = new(StringComparer.Ordinal);
    private readonly List<string> _sectionOrder = [];
    private readonly List<string> _files = [];
    private readonly List<string> _warnings = [];

    private LayeredConfig()
    {
    }

    /// <summary>Files merged, in the order read (display paths).</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Non-fatal problems met while loading (an include that does not exist, as fail2ban ignores it).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Section names in first-seen order, without the internal <c>KNOWN/</c> ones and without DEFAULT.</summary>
    public IEnumerable<string> SectionNames => _sectionOrder.Where(n => !n.StartsWith(KnownPrefix, StringComparison.Ordinal));

    /// <summary>
    /// Loads <paramref name="name"/> (relative, without extension: <c>filter.d/sshd</c>) with its
    /// <c>.d</c> directory, <c>.local</c> and includes. Returns <c>null</c> when none of the files exists.
    /// </summary>
    /// <exception cref="ConfigException">A file exists but is not valid.</exception>
    public static LayeredConfig? Load(IConfigFiles files, string name)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var candidates = new List<string> { name + ".conf" };
        candidates.AddRange(files.List(name + ".d", ".conf"));
        candidates.Add(name + ".local");
        candidates.AddRange(files.List(name + ".d", ".local"));
        var existing = candidates.Where(files.Exists).ToList();
        return existing.Count == 0 ? null : LoadFiles(files, existing);
    }

    /// <summary>
    /// Loads the given files (and their <c>.local</c> files and includes) in order, as fail2ban's
    /// <c>readexplicit</c> does for a filter given by path.
    /// </summary>
    /// <exception cref="ConfigException">A file is not valid.</exception>
    public static LayeredConfig LoadFiles(IConfigFiles files, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(paths);
        var config = new LayeredConfig();
        var cache = new Dictionary<string, IniFile?>(StringComparer.Ordinal);
        foreach (var path in IncludeResolver.Expand(files, paths, [], cache, config._warnings))
        {
            if (cache.TryGetValue(path, out var ini) && ini is not null)
            {
                config.Merge(ini);
            }
        }

        return config;
    }

    /// <summary>Where a section's header was first written, or <c>null</c> when there is no such section.</summary>
    public (string File, int Line)? SectionLocation(string section) =>
        _sections.TryGetValue(section, out var found) ? (found.File, found.Line) : null;

    /// <summary>True when the section exists (DEFAULT always does).</summary>
    public bool HasSection(string section) => section == DefaultSection || _sections.ContainsKey(section);

    /// <summary>Option names of a section, optionally with those it inherits from DEFAULT.</summary>
    public IReadOnlyList<string> OptionNames(string section, bool withDefaults)
    {
        var own = section == DefaultSection ? _defaults : _sections.GetValueOrDefault(section);
        var names = own is null ? new List<string>() : [.. own.Keys];
        if (withDefaults && own != _defaults)
        {
            names.AddRange(_defaults.Keys.Where(k => own is null || !own.Contains(k)));
        }

        return names;
    }

    /// <summary>The raw (uninterpolated) value of an option, falling back to DEFAULT; <c>null</c> when unset.</summary>
    public IniValue? GetRaw(string section, string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (section != DefaultSection && _sections.TryGetValue(section, out var own) && own[option] is { } value)
        {
            return value;
        }

        return _defaults[option];
    }

    /// <summary>
    /// The interpolated value of an option (<c>%(name)s</c>, <c>%(section/name)s</c>,
    /// <c>%(known/name)s</c>, <c>%(__name__)s</c>, <c>%%</c>), or <c>null</c> when the section or the
    /// option does not exist. <paramref name="option"/> may itself be section-qualified
    /// (<c>lt_file/datepattern</c>, <c>known/failregex</c>), as fail2ban's <c>get_ex</c> allows.
    /// <paramref name="vars"/> take precedence over the section's own values, as configparser's
    /// <c>vars</c> do (this is how options passed from a jail reach a filter).
    /// </summary>
    /// <exception cref="ConfigException">A reference cannot be resolved; located at the value.</exception>
    public IniValue? Get(string section, string option, IReadOnlyDictionary<string, string>? vars = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(option);
        var slash = option.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < option.Length - 1 && IsSectionName(option.AsSpan(0, slash)))
        {
            var qualifier = option[..slash];
            var name = option[(slash + 1)..];
            string[] candidates = qualifier.Equals("known", StringComparison.OrdinalIgnoreCase)
                ? [KnownPrefix + section, section]
                : [qualifier.Equals("default", StringComparison.OrdinalIgnoreCase) ? DefaultSection : qualifier];
            foreach (var candidate in candidates)
            {
                if (HasSection(candidate) && GetRaw(candidate, name) is not null)
                {
                    return Get(candidate, name);
                }
            }
        }

        if (!HasSection(section))
        {
            return null;
        }

        var key = option.ToLowerInvariant();
        if (vars is not null && TryGetVar(vars, key, out var passed))
        {
            var pseudo = new IniValue(passed, "(options)", 0);
            return pseudo with { Text = new Interpolation(this, section, vars).Expand(pseudo, key) };
        }

        var raw = GetRaw(section, option);
        return raw is null ? null : raw with { Text = new Interpolation(this, section, vars).Expand(raw, key) };
    }

    /// <summary>The raw value of a section's own option (no DEFAULT fallback), used by <c>%(section/name)s</c>.</summary>
    internal IniValue? GetOwnRaw(string section, string option) =>
        section == DefaultSection ? _defaults[option] : _sections.GetValueOrDefault(section)?[option];

    /// <summary>The raw value <paramref name="option"/> had before a later file overrode it.</summary>
    internal IniValue? GetKnownRaw(string section, string option) =>
        _sections.GetValueOrDefault(KnownPrefix + section)?[option];

    internal static bool TryGetVar(IReadOnlyDictionary<string, string> vars, string key, [NotNullWhen(true)] out string? value)
    {
        if (vars.TryGetValue(key, out value))
        {
            return true;
        }

        foreach (var (name, text) in vars)
        {
            if (name.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                value = text;
                return true;
            }
        }

        value = null;
        return false;
    }

    private static bool IsSectionName(ReadOnlySpan<char> text)
    {
        // fail2ban's SECTION_OPTNAME_CRE: ^([\w\-]+)/([^\s>]+)$
        foreach (var c in text)
        {
            if (!char.IsLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private void Merge(IniFile file)
    {
        _files.Add(file.Path);
        foreach (var source in file.Sections)
        {
            if (source.Name == DefaultSection)
            {
                foreach (var key in source.Keys)
                {
                    _defaults.Set(key, source[key]!);
                }

                continue;
            }

            // A conditional section [Init?family=inet6] adds its options as "name?family=inet6"
            // to [Init] (configparserinc.py CONDITIONAL_RE); actions pick them by condition.
            var name = source.Name;
            var condition = string.Empty;
            var question = name.IndexOf('?', StringComparison.Ordinal);
            if (question > 0 && name[..question].All(c => char.IsLetterOrDigit(c) || c == '_'))
            {
                condition = name[question..];
                name = name[..question];
            }

            if (!_sections.TryGetValue(name, out var target))
            {
                target = new IniSection(name, source.File, source.Line);
                _sections[name] = target;
                _sectionOrder.Add(name);
            }
            else
            {
                // Keep each overridden value as KNOWN/section, for %(known/x)s and <known/x>.
                foreach (var key in source.Keys)
                {
                    if (target[key + condition] is { } previous)
                    {
                        SectionFor(KnownPrefix + name, source).Set(key + condition, previous);
                    }
                }
            }

            foreach (var key in source.Keys)
            {
                target.Set(key + condition, source[key]!);
            }
        }
    }

    private IniSection SectionFor(string name, IniSection like)
    {
        if (!_sections.TryGetValue(name, out var section))
        {
            section = new IniSection(name, like.File, like.Line);
            _sections[name] = section;
            _sectionOrder.Add(name);
        }

        return section;
    }
}
