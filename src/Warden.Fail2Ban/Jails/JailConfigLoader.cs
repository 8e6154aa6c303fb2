using Warden.Fail2Ban.Actions;
using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Reads the jails of a configuration directory in fail2ban's layout (client/jailsreader.py,
/// jailreader.py): jail.conf, jail.d/*.conf, jail.local, jail.d/*.local with their [INCLUDES]
/// (<see cref="LayeredConfig"/>), [DEFAULT] inheritance, interpolation, and each enabled jail's
/// actions from action.d. A broken jail is reported with file and line and left out; the others load.
/// </summary>
public static class JailConfigLoader
{
    private static readonly string[] NotJails = ["INCLUDES", "Definition", "Init"];

    /// <summary>Reads every enabled jail of <paramref name="configDir"/>.</summary>
    public static JailConfigResult Load(string configDir)
    {
        ArgumentNullException.ThrowIfNull(configDir);
        return Load(new DirectoryConfigFiles(configDir), configDir.TrimEnd('/'));
    }

    /// <summary>Reads the jails of one in-memory jail.conf (Warden's built-in default configuration).</summary>
    public static JailConfigResult LoadText(string displayPath, string text) =>
        Load(new SingleFileConfig(displayPath, text), Path.GetDirectoryName(displayPath) ?? "/");

    private static JailConfigResult Load(IConfigFiles files, string confPath)
    {
        var errors = new List<ConfigError>();
        LayeredConfig? config;
        try
        {
            config = LayeredConfig.Load(files, "jail");
        }
        catch (ConfigException ex)
        {
            return new JailConfigResult([], [ex.Error], [], []);
        }

        if (config is null)
        {
            return new JailConfigResult([], [], [], []);
        }

        // jailreader.py merges these into [DEFAULT] before interpolation.
        var vars = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fail2ban_version"] = "1.0.2",
            ["fail2ban_confpath"] = confPath,
        };
        var warnings = config.Warnings.Select(w => new ConfigError(config.Files.Count > 0 ? config.Files[0] : confPath, 0, w)).ToList();
        var jails = new List<JailDefinition>();
        foreach (var name in config.SectionNames)
        {
            if (NotJails.Contains(name) || name == LayeredConfig.DefaultSection)
            {
                continue;
            }

            if (new JailReader(config, vars, name, errors, warnings).Read() is { } jail && WithActions(files, jail, errors) is { } withActions)
            {
                jails.Add(withActions);
            }
        }

        return new JailConfigResult(jails, errors, warnings, config.Files);
    }

    /// <summary>Reads the jail's actions from action.d; a jail with an unreadable action is left out with the error.</summary>
    private static JailDefinition? WithActions(IConfigFiles files, JailDefinition jail, List<ConfigError> errors)
    {
        var definitions = new List<ActionDefinition>();
        var where = jail.ActionLocation ?? jail.FilterLocation;
        foreach (var reference in jail.Actions)
        {
            try
            {
                definitions.Add(ActionReader.Read(files, reference, jail.Name, jail.Options, where));
            }
            catch (ConfigException ex)
            {
                errors.Add(ex.Error with { Message = $"[{jail.Name}] {ex.Error.Message}" });
                return null;
            }
        }

        return jail with { ActionDefinitions = definitions };
    }
}
