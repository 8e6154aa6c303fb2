using Warden.Fail2Ban.Actions;
using Warden.Fail2Ban.Ini;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Reads the jails of a configuration directory in fail2ban's layout: jail.conf, jail.d/*.conf,
/// jail.local, jail.d/*.local (each with its [INCLUDES]), [DEFAULT] inheritance and
/// interpolation. A broken jail is reported with file and line and left out; the others load.
/// </summary>
public static class JailConfigLoader
{
    private static readonly string[] NotJails = ["DEFAULT", "INCLUDES", "Definition", "Init"];

    /// <summary>Reads every enabled jail of <paramref name="configDir"/>.</summary>
    public static JailConfigResult Load(string configDir)
    {
        ArgumentNullException.ThrowIfNull(configDir);
        var errors = new List<ConfigError>();
        var files = new List<string>();
        var ini = new LayeredIni();
        foreach (var path in LayerFiles(configDir, "jail"))
        {
            ReadWithIncludes(path, ini, files, errors, 0);
        }

        // jailreader.py merges these into [DEFAULT] before interpolation.
        ini.AddDefault("fail2ban_version", "1.0.2", "<warden>");
        ini.AddDefault("fail2ban_confpath", configDir.TrimEnd('/'), "<warden>");
        var result = Read(ini, files, errors);
        return result with { Jails = [.. result.Jails.Select(j => WithActions(configDir, j, errors)).OfType<JailDefinition>()], Errors = errors };
    }

    /// <summary>Reads the jail's actions from action.d; a jail with an unreadable action is left out with the error.</summary>
    private static JailDefinition? WithActions(string configDir, JailDefinition jail, List<ConfigError> errors)
    {
        var definitions = new List<ActionDefinition>();
        var where = jail.ActionLocation ?? jail.FilterLocation;
        foreach (var reference in jail.Actions)
        {
            try
            {
                definitions.Add(ActionReader.Read(configDir, reference, jail.Name, jail.Options, where));
            }
            catch (ConfigException ex)
            {
                errors.Add(ex.Error with { Message = $"[{jail.Name}] {ex.Error.Message}" });
                return null;
            }
        }

        return jail with { ActionDefinitions = definitions };
    }

    /// <summary>Reads the jails of one in-memory file (Warden's built-in default configuration).</summary>
    public static JailConfigResult Load(IniFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var ini = new LayeredIni();
        ini.Add(file);
        return Read(ini, [file.Path], []);
    }

    private static JailConfigResult Read(LayeredIni ini, List<string> files, List<ConfigError> errors)
    {
        var warnings = new List<ConfigError>();
        var jails = new List<JailDefinition>();
        foreach (var name in ini.SectionNames)
        {
            if (NotJails.Contains(name) || name.StartsWith("KNOWN/", StringComparison.Ordinal))
            {
                continue;
            }

            var reader = new JailReader(ini, name, errors, warnings);
            if (reader.Read() is { } jail)
            {
                jails.Add(jail);
            }
        }

        return new JailConfigResult(jails, errors, warnings, files);
    }

    /// <summary>fail2ban's layering of one name: NAME.conf, NAME.d/*.conf, NAME.local, NAME.d/*.local (sorted).</summary>
    public static IEnumerable<string> LayerFiles(string directory, string name)
    {
        var d = Path.Combine(directory, name + ".d");
        var candidates = new List<string> { Path.Combine(directory, name + ".conf") };
        if (Directory.Exists(d))
        {
            candidates.AddRange(Directory.GetFiles(d, "*.conf").Order(StringComparer.Ordinal));
        }

        candidates.Add(Path.Combine(directory, name + ".local"));
        if (Directory.Exists(d))
        {
            candidates.AddRange(Directory.GetFiles(d, "*.local").Order(StringComparer.Ordinal));
        }

        return candidates.Where(File.Exists);
    }

    internal static void ReadWithIncludes(string path, LayeredIni ini, List<string> files, List<ConfigError> errors, int depth)
    {
        if (depth > 10 || files.Contains(path))
        {
            return;
        }

        IniFile file;
        try
        {
            file = IniFile.Load(path);
        }
        catch (ConfigException ex)
        {
            errors.Add(ex.Error);
            return;
        }

        var includes = file["INCLUDES"];
        foreach (var include in Includes(path, includes?["before"]))
        {
            ReadWithIncludes(include, ini, files, errors, depth + 1);
        }

        files.Add(path);
        ini.Add(file);
        foreach (var include in Includes(path, includes?["after"]))
        {
            ReadWithIncludes(include, ini, files, errors, depth + 1);
        }
    }

    private static IEnumerable<string> Includes(string from, IniValue? value)
    {
        if (value is null)
        {
            return [];
        }

        var dir = Path.GetDirectoryName(from) ?? ".";
        var result = new List<string>();
        foreach (var name in value.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = Path.IsPathRooted(name) ? name : Path.Combine(dir, name);
            // fail2ban reads NAME.local right after each included NAME.conf (configparserinc.py).
            result.Add(path);
            result.Add(Path.ChangeExtension(path, ".local"));
        }

        return result.Where(File.Exists);
    }
}
