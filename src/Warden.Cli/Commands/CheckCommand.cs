using System.CommandLine;
using Warden.Cli.Hosting;
using Warden.Cli.Output;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Pcre2;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden check</c>: reads the whole configuration as <c>run</c> would, prints every problem
/// as FILE:LINE: MESSAGE, and exits 1 when any jail or setting is broken.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var configDir = CommonOptions.ConfigDir();
        var json = CommonOptions.Json();
        var command = new Command("check", "Validate the configuration; exit 1 with FILE:LINE errors") { configDir, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            WardenConfig config;
            try
            {
                config = WardenConfig.Load(ConfigLocation.Resolve(result.GetValue(configDir)), TimeProvider.System);
            }
            catch (ConfigException ex)
            {
                return await Json.ErrorAsync(ex.Error.ToString(), 1, result.GetValue(json));
            }

            if (result.GetValue(json))
            {
                var warnings = new StringWriter();
                await WarnUnresolvedAsync(config, warnings, cancellationToken);
                return ReportJson(config, warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(w => w["warning: ".Length..]));
            }

            await WarnUnresolvedAsync(config, Console.Out, cancellationToken);
            return Report(config, Console.Out);
        });
        return command;
    }

    /// <summary>ignoreip host names are resolved as run would; one that does not resolve is a warning, as in fail2ban.</summary>
    private static async Task WarnUnresolvedAsync(WardenConfig config, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var jail in config.Jails.Where(j => j.Definition.Policy.IgnoreHosts.Count > 0))
        {
            await IgnoreHosts.ResolveAsync(
                jail.Definition.Policy.IgnoreHosts,
                (name, error) => output.WriteLine($"warning: [{jail.Definition.Name}] ignoreip host name '{name}' does not resolve now ({error}); it is resolved again every {IgnoreHosts.Interval.TotalMinutes} minutes"),
                cancellationToken);
        }
    }

    private static int ReportJson(WardenConfig config, IEnumerable<string> unresolved)
    {
        var warnings = config.Warnings.Select(w => w.ToString()).Concat(unresolved).ToList();
        if (RegexEngine.JitRefusal is { } jitRefused)
        {
            warnings.Add(jitRefused);
        }

        var jails = config.Jails.Select(j => new CheckJailJson(
            j.Definition.Name,
            j.Definition.Filter,
            j.Definition.Policy.MaxRetry,
            j.Definition.Policy.FindTime.TotalSeconds,
            j.Definition.Policy.BanTime?.TotalSeconds,
            LogSources.Describe(j),
            Enforcement.Describe(j, config.Settings))).ToList();
        Json.Write(
            new CheckJson(config.Errors.Count == 0, config.Location.ToString(), [.. config.Files.Select(f => f.ToString())], warnings, [.. config.Errors.Select(e => e.ToString())], jails, config.Settings.FirewallName, config.Settings.StatePath),
            CliJsonContext.Default.CheckJson);
        return config.Errors.Count > 0 ? 1 : 0;
    }

    public static int Report(WardenConfig config, TextWriter output)
    {
        output.WriteLine($"configuration: {config.Location}");
        foreach (var file in config.Files)
        {
            output.WriteLine($"  read {file}");
        }

        foreach (var warning in config.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        if (RegexEngine.JitRefusal is { } jitRefused)
        {
            output.WriteLine($"warning: {jitRefused}");
        }

        foreach (var error in config.Errors)
        {
            output.WriteLine($"error: {error}");
        }

        foreach (var jail in config.Jails)
        {
            var policy = jail.Definition.Policy;
            var bantime = policy.BanTime is { } b ? b.ToString() : "permanent";
            var logs = LogSources.Describe(jail);
            var counts = policy.PortScan is { } scan
                ? string.Join(" or ", new[] { (scan.MaxPorts, "ports"), (scan.MaxAddresses, "addresses") }.Where(l => l.Item1 > 0).Select(l => $"more than {l.Item1} distinct {l.Item2}"))
                : $"{policy.MaxRetry} failures";
            output.WriteLine($"jail {jail.Definition.Name}: filter {jail.Definition.Filter}, {counts} in {policy.FindTime} -> ban {bantime}; logs: {logs}");
            output.WriteLine($"  enforced by: {Enforcement.Describe(jail, config.Settings)}");
        }

        output.WriteLine($"firewall: {config.Settings.FirewallName}; state: {config.Settings.StatePath}");
        if (config.FirewallProblem is { } problem)
        {
            output.WriteLine($"error: {problem}");
        }

        if (config.Errors.Count > 0 || config.FirewallProblem is not null)
        {
            var errors = config.Errors.Count + (config.FirewallProblem is null ? 0 : 1);
            output.WriteLine($"FAILED: {errors} error(s); {config.Jails.Count} jail(s) usable");
            return 1;
        }

        output.WriteLine($"OK: {config.Jails.Count} jail(s)");
        return 0;
    }
}
