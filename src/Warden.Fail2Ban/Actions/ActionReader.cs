using Warden.Fail2Ban.Jails;

namespace Warden.Fail2Ban.Actions;

/// <summary>
/// Reads an action.d action for a jail the way fail2ban's client/actionreader.py and
/// configreader.py DefinitionInitConfigReader do: layered files with includes; [Definition]
/// operations interpolated with the jail's options and the action's own options as
/// <c>%(vars)s</c>; [Init] values as defaults the jail's options override (and as
/// <c>known/</c> values); then configuration-time tag substitution.
/// </summary>
public static class ActionReader
{
    private static readonly string[] DefinitionOptions =
    [
        "actionstart", "actionstart_on_demand", "actionstop", "actionflush", "actionreload", "actioncheck",
        "actionrepair", "actionrepair_on_unban", "actionban", "actionprolong", "actionreban", "actionunban", "norestored",
    ];

    /// <summary>Reads <paramref name="reference"/> from <paramref name="configDir"/>/action.d for jail <paramref name="jail"/>.</summary>
    /// <param name="configDir">The configuration directory (holding action.d).</param>
    /// <param name="reference">The jail's action entry.</param>
    /// <param name="jail">The jail's name.</param>
    /// <param name="jailOptions">The jail's options (<see cref="JailDefinition.Options"/>).</param>
    /// <param name="where">Where the action was named, for errors.</param>
    /// <exception cref="ConfigException">The action does not exist or cannot be read.</exception>
    public static ActionDefinition Read(string configDir, ActionReference reference, string jail, IReadOnlyDictionary<string, string> jailOptions, ConfigError where)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(jailOptions);
        ArgumentNullException.ThrowIfNull(where);
        if (reference.Name.EndsWith(".py", StringComparison.Ordinal))
        {
            throw new ConfigException(where with { Message = $"action '{reference.Name}' is a Python action; Warden runs only action.d command actions" });
        }

        var ini = new LayeredIni();
        var files = new List<string>();
        var errors = new List<ConfigError>();
        foreach (var path in JailConfigLoader.LayerFiles(Path.Combine(configDir, "action.d"), reference.Name))
        {
            JailConfigLoader.ReadWithIncludes(path, ini, files, errors, 0);
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors[0]);
        }

        if (files.Count == 0)
        {
            throw new ConfigException(where with { Message = $"unknown action '{reference.Name}' (no action.d/{reference.Name}.conf or .local in {configDir})" });
        }

        var init = new Dictionary<string, string>(reference.Options, StringComparer.Ordinal);
        if (!init.TryGetValue("name", out var name))
        {
            init["name"] = name = jail;
        }

        if (!init.TryGetValue("actname", out var actname))
        {
            init["actname"] = actname = reference.Name + (name == jail ? string.Empty : name.StartsWith(jail, StringComparison.Ordinal) ? name[jail.Length..] : "-" + name);
        }

        try
        {
            return new ActionDefinition(actname, reference.Name, Combine(ini, init, jailOptions));
        }
        catch (ConfigException)
        {
            throw;
        }
        catch (FormatException ex)
        {
            throw new ConfigException(where with { Message = $"action '{reference.Name}': {ex.Message}" }, ex);
        }
    }

    private static Dictionary<string, string> Combine(LayeredIni ini, Dictionary<string, string> init, IReadOnlyDictionary<string, string> jailOptions)
    {
        var vars = new Dictionary<string, string>(jailOptions, StringComparer.Ordinal);
        foreach (var (key, value) in init)
        {
            vars[key] = value;
        }

        var combined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in DefinitionOptions)
        {
            if (!vars.ContainsKey(option) && ini.Get("Definition", option, vars) is { } value)
            {
                combined[option] = value;
            }
        }

        if (ini.Section("Init") is { } initSection)
        {
            foreach (var key in initSection.Keys)
            {
                var value = ini.Get("Init", key) ?? string.Empty;
                if (!key.StartsWith("known/", StringComparison.Ordinal))
                {
                    init.TryAdd("known/" + key, value);
                }

                init.TryAdd(key, value);
            }
        }

        foreach (var (key, value) in init)
        {
            combined[key] = value;
        }

        // Tags with a per-family variant are resolved at ban time, not now (configreader.py getCombined).
        var ignore = new HashSet<string>(ActionDefinition.BanTags, StringComparer.Ordinal);
        foreach (var key in combined.Keys)
        {
            var question = key.IndexOf('?');
            if (question > 0)
            {
                ignore.Add(key[..question]);
            }
        }

        var cache = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Definition(string tag)
        {
            if (!cache.TryGetValue(tag, out var value))
            {
                try
                {
                    value = ini.GetQualified("Definition", tag, vars);
                }
                catch (ConfigException)
                {
                    value = null;
                }

                cache[tag] = value;
            }

            return value;
        }

        return TagSubstitution.Resolve(combined, string.Empty, ignore, Definition);
    }
}
