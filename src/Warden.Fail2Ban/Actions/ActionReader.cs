using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Actions;

/// <summary>
/// Reads an action.d action for a jail the way fail2ban's client/actionreader.py does: the layered
/// files with their includes (<see cref="LayeredConfig"/>), then the options combined as
/// DefinitionInitConfigReader combines them (<see cref="DefinitionOptions"/>), leaving the ban
/// tags for ban time.
/// </summary>
public static class ActionReader
{
    private static readonly string[] DefinitionOptionNames =
    [
        "actionstart", "actionstart_on_demand", "actionstop", "actionflush", "actionreload", "actioncheck",
        "actionrepair", "actionrepair_on_unban", "actionban", "actionprolong", "actionreban", "actionunban", "norestored",
    ];

    /// <summary>Reads <paramref name="reference"/> from <paramref name="files"/>' action.d for jail <paramref name="jail"/>.</summary>
    /// <param name="files">The configuration directory (holding action.d).</param>
    /// <param name="reference">The jail's action entry.</param>
    /// <param name="jail">The jail's name.</param>
    /// <param name="jailOptions">The jail's options (<see cref="Jails.JailDefinition.Options"/>).</param>
    /// <param name="where">Where the action was named, for errors.</param>
    /// <exception cref="ConfigException">The action does not exist or cannot be read.</exception>
    public static ActionDefinition Read(IConfigFiles files, ConfigReference reference, string jail, IReadOnlyDictionary<string, string> jailOptions, ConfigPlace where)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Name.EndsWith(".py", StringComparison.Ordinal))
        {
            throw new ConfigException(where.Error($"action '{reference.Name}' is a Python action; Warden runs only action.d command actions"));
        }

        var config = LayeredConfig.Load(files, "action.d/" + reference.Name)
            ?? throw new ConfigException(where.Error($"unknown action '{reference.Name}' (no action.d/{reference.Name}.conf or .local)"));

        // actionreader.py: name defaults to the jail; actname tells several uses of one file apart.
        var passed = new Dictionary<string, string>(reference.Options, StringComparer.Ordinal);
        if (!passed.TryGetValue("name", out var name))
        {
            passed["name"] = name = jail;
        }

        if (!passed.TryGetValue("actname", out var actname))
        {
            passed["actname"] = actname = reference.Name + (name == jail ? string.Empty : name.StartsWith(jail, StringComparison.Ordinal) ? name[jail.Length..] : "-" + name);
        }

        var combined = DefinitionOptions.Combine(config, DefinitionOptionNames, passed, jailOptions, allDefinition: false, ActionDefinition.BanTags);
        return new ActionDefinition(actname, reference.Name, combined.All.ToDictionary(kv => kv.Key, kv => kv.Value.Text, StringComparer.Ordinal));
    }
}
