using Warden.Fail2Ban;
using Warden.Fail2Ban.Jails;
using Warden.Sources.Firewall;
using Warden.Sources.Journal;

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

    /// <summary>Why the firewall backend some jail needs cannot work on this host (see <see cref="Backends.Unusable"/>); <c>null</c> when it can or no jail needs it.</summary>
    public string? FirewallProblem { get; private init; }

    public static WardenConfig Load(ConfigLocation location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        var settings = WardenSettingsReader.Read(location.Directory, errors, warnings);
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
        foreach (var listed in jailConfig.Jails)
        {
            var configured = settings.Shadow ? listed with { Policy = listed.Policy with { Observe = true } } : listed;
            // Lines are kept for a ban only when one of its command actions uses them (<matches>, <F-*>).
            var jail = configured.ActionDefinitions.Any(a => !Enforcement.IsNative(a, settings) && CommandSpecs.UsesMatches(a))
                ? configured
                : configured with { Policy = configured.Policy with { MaxMatches = 0 } };
            if (jail.Policy.PortScan?.LogRule is not null && settings.Firewall != FirewallKind.Nftables)
            {
                // Only the nftables backend installs the logging rule; with the others the operator logs to the group.
                warnings.Add(jail.FilterLocation.Error($"[{jail.Name}] logrule = yes needs firewall = nftables; with {settings.Firewall} add your own NFLOG rule for group {jail.Policy.PortScan.LogRule.Group}"));
            }

            try
            {
                // A port-scan jail reads firewall log lines (kernel, pf, NFLOG), not a filter.d file.
                jails.Add(jail.Policy.CountsBans ? new LoadedJail(jail, _ => BanFeedFilter.Instance)
                    : jail.Policy.PortScan is not null ? new LoadedJail(jail, _ => new FirewallLogFilter(time))
                    : WithFilter(location, jail, time, warnings));
            }
            catch (ConfigException ex)
            {
                errors.Add(ex.Error with { Message = $"[{jail.Name}] {ex.Error.Message}" });
            }
        }

        if (settings.Fleet is { } fleet)
        {
            foreach (var name in (fleet.Share ?? new HashSet<string>()).Concat(fleet.Accept ?? new HashSet<string>()).Distinct().Where(n => !jails.Any(j => j.Definition.Name == n)))
            {
                warnings.Add(fleet.Place.Error($"[fleet] share/accept name jail '{name}', which is not running here"));
            }
        }

        return new WardenConfig(location, settings, jails, errors, warnings, jailConfig.Files)
        {
            FirewallProblem = settings.UnknownFirewall is null && Enforcement.UsesNative(jails, settings) ? Backends.Unusable(settings) : null,
        };
    }

    /// <exception cref="ConfigException">The filter cannot be loaded, or the journal cannot be read as configured.</exception>
    private static LoadedJail WithFilter(ConfigLocation location, JailDefinition jail, TimeProvider time, List<ConfigError> warnings)
    {
        var filter = JailFilters.Load(location, jail, time);
        if (JournalInstead(jail, filter.JournalMatch))
        {
            // fail2ban 1.1's backend = auto on Debian: a host without rsyslog has no auth.log, sshd
            // logs only to the journal, and waiting for the file would wait for ever.
            warnings.RemoveAll(w => w.Message.StartsWith($"[{jail.Name}] logpath '", StringComparison.Ordinal) && w.Message.EndsWith("does not exist yet; it is read once it appears", StringComparison.Ordinal));
            warnings.Add(jail.FilterLocation.Error($"[{jail.Name}] logpath {string.Join(", ", jail.LogPaths)} does not exist and filter '{jail.Filter}' has a journalmatch: the jail reads the journal instead (backend = auto)"));
            jail = jail with { Sources = jail.Sources with { Journal = true } };
        }

        if (!jail.Sources.Journal)
        {
            return new LoadedJail(jail, filter.CreateFilter);
        }

        // fail2ban adds each journalmatch line as its own group, ORed with the others
        // (server/filtersystemd.py addJournalMatch: add_disjunction between them).
        var at = jail.Sources.KindLocation ?? jail.FilterLocation;
        JournalMatch match;
        try
        {
            match = JournalMatch.Parse(string.Join(" + ", filter.JournalMatch.Where(m => !string.IsNullOrWhiteSpace(m))));
        }
        catch (FormatException ex)
        {
            throw new ConfigException(jail.FilterLocation.Error($"filter '{jail.Filter}': {ex.Message}"));
        }

        if (LogSources.FindJournalctl() is null)
        {
            throw new ConfigException(at.Error("backend = systemd needs journalctl, which is not installed (not found on PATH)"));
        }

        return new LoadedJail(jail, filter.CreateFilter) { JournalMatch = match };
    }

    // backend = auto, every logpath a plain path that does not exist, nothing else to read, a
    // journalmatch to read by, and journalctl to read with.
    private static bool JournalInstead(JailDefinition jail, IReadOnlyList<string> journalMatch) =>
        !jail.Sources.Journal
        && jail.LogSource == LogSourceKind.Auto
        && jail.Sources.Command.Count == 0
        && jail.LogPaths.Count > 0
        && jail.LogPaths.All(p => p != "-" && p.IndexOfAny(['*', '?', '[']) < 0 && !File.Exists(p))
        && journalMatch.Any(m => !string.IsNullOrWhiteSpace(m))
        && LogSources.FindJournalctl() is not null;
}
