using Warden.Fail2Ban;
using Warden.Fail2Ban.Jails;

namespace Warden.Cli.Hosting;

/// <summary>
/// Everything read from a configuration location, validated: settings, jails with their loaded
/// filters, and every located error and warning. A jail with an error is left out; the rest work.
/// </summary>
internal sealed class WardenConfig
{
    private WardenConfig(ConfigLocation location, WardenSettings settings, IReadOnlyList<LoadedJail> jails, IReadOnlyList<ConfigError> errors, IReadOnlyList<ConfigError> warnings, IReadOnlyList<string> files)
    {
        Location = location;
        Settings = settings;
        Jails = jails;
        Errors = errors;
        Warnings = warnings;
        Files = files;
    }

    public ConfigLocation Location { get; }

    public WardenSettings Settings { get; }

    public IReadOnlyList<LoadedJail> Jails { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    public IReadOnlyList<ConfigError> Warnings { get; }

    public IReadOnlyList<string> Files { get; }

    public static WardenConfig Load(ConfigLocation location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        var settings = WardenSettingsReader.Read(location.Directory, errors, warnings);
        if (!Backends.Names.Contains(settings.Firewall))
        {
            errors.Add(new ConfigError(Path.Combine(location.Directory ?? "<built-in>", WardenSettingsReader.FileName), 0, $"unknown firewall backend '{settings.Firewall}' (known: {string.Join(", ", Backends.Names)})"));
        }

        var jailConfig = location.Directory is { } dir
            ? JailConfigLoader.Load(dir)
            : JailConfigLoader.LoadText(BuiltInConfig.Path, BuiltInConfig.JailConf);
        errors.AddRange(jailConfig.Errors);
        warnings.AddRange(jailConfig.Warnings);
        if (location.Directory is not null && jailConfig.Files.Count == 0 && jailConfig.Errors.Count == 0)
        {
            warnings.Add(new ConfigError(location.Directory, 0, "no jail.conf, jail.local or jail.d/*.conf here: no jail is configured"));
        }

        var jails = new List<LoadedJail>();
        foreach (var configured in jailConfig.Jails)
        {
            // Lines are kept for a ban only when one of its command actions uses them (<matches>, <F-*>).
            var jail = configured.ActionDefinitions.Any(a => !Enforcement.IsNative(a, settings) && CommandSpecs.UsesMatches(a))
                ? configured
                : configured with { Policy = configured.Policy with { MaxMatches = 0 } };
            try
            {
                var filter = jail.Policy.CountsBans ? () => BanFeedFilter.Instance : Filters.Load(location, jail, time);
                jails.Add(new LoadedJail(jail, filter));
            }
            catch (ConfigException ex)
            {
                errors.Add(ex.Error with { Message = $"[{jail.Name}] {ex.Error.Message}" });
            }
        }

        return new WardenConfig(location, settings, jails, errors, warnings, jailConfig.Files);
    }
}
