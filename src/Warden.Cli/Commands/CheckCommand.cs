using System.CommandLine;
using Warden.Cli.Hosting;
using Warden.Fail2Ban;

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
        var command = new Command("check", "Validate the configuration; exit 1 with FILE:LINE errors") { configDir };
        command.SetAction(result =>
        {
            WardenConfig config;
            try
            {
                config = WardenConfig.Load(ConfigLocation.Resolve(result.GetValue(configDir)), TimeProvider.System);
            }
            catch (ConfigException ex)
            {
                Console.Error.WriteLine($"error: {ex.Error}");
                return 1;
            }

            return Report(config, Console.Out);
        });
        return command;
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

        foreach (var error in config.Errors)
        {
            output.WriteLine($"error: {error}");
        }

        foreach (var jail in config.Jails)
        {
            var policy = jail.Definition.Policy;
            var bantime = policy.BanTime is { } b ? b.ToString() : "permanent";
            output.WriteLine($"jail {jail.Definition.Name}: filter {jail.Definition.Filter}, {policy.MaxRetry} failures in {policy.FindTime} -> ban {bantime}; logs: {string.Join(' ', jail.Definition.LogPaths)}");
        }

        output.WriteLine($"firewall: {config.Settings.Firewall}; state: {config.Settings.StatePath}");
        if (config.Errors.Count > 0)
        {
            output.WriteLine($"FAILED: {config.Errors.Count} error(s); {config.Jails.Count} jail(s) usable");
            return 1;
        }

        output.WriteLine($"OK: {config.Jails.Count} jail(s)");
        return 0;
    }
}
