using System.CommandLine;
using Warden.Cli.Hosting;
using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;
using Warden.Fail2Ban;
using Warden.Firewall.Iptables;
using Warden.Store.Sqlite;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden doctor</c>: what Warden finds on this host (the firewall backend, Docker's chains,
/// bridges and bridge netfilter, Warden's own objects and whether they hold the stored bans),
/// what is wrong, and the exact fix. Changes nothing. Exit 0 when ok, 1 when not.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("doctor", "Check the firewall, Docker and bridges against the configuration; exit 1 when something is wrong") { configDir };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(configDir), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? configDir, CancellationToken cancellationToken)
    {
        WardenConfig config;
        try
        {
            config = WardenConfig.Load(ConfigLocation.Resolve(configDir), TimeProvider.System);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"error: {ex.Error}");
            return 1;
        }

        var report = await DiagnoseAsync(config, cancellationToken);
        Console.Out.Write(report.Render());
        return report.IsOk ? 0 : 1;
    }

    public static async Task<DoctorReport> DiagnoseAsync(WardenConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var findings = new List<DoctorFinding>();
        foreach (var error in config.Errors)
        {
            findings.Add(DoctorFinding.Problem("config", error.ToString(), "correct it; `warden check` lists every error"));
        }

        var settings = config.Settings;
        if (settings.UnknownFirewall is not null)
        {
            return new DoctorReport(findings);
        }

        findings.Add(DoctorFinding.Info("config", $"{config.Jails.Count} jail(s), firewall backend {settings.Firewall}"));
        if (config.FirewallProblem is { } problem)
        {
            // Nothing below can be asked of a backend that cannot load.
            findings.Add(DoctorFinding.Problem("firewall", problem, "install the package named, or choose the other backend"));
            return new DoctorReport(findings);
        }

        var bans = await StoredBansAsync(settings.StatePath, findings, cancellationToken);
        using var logs = Logging.Create(Microsoft.Extensions.Logging.LogLevel.Warning);
        // The jails' own enforcement: command-action jails are not the native backend's to diagnose.
        var firewall = Enforcement.Create(config.Jails, settings, () => Backends.Create(settings, logs, TimeProvider.System), logs, TimeProvider.System).Firewall;
        try
        {
            if (firewall is IFirewallDiagnostics diagnostics)
            {
                var jails = config.Jails.Select(j => FirewallJail.From(j.Definition.Policy)).ToList();
                findings.AddRange(await diagnostics.DiagnoseAsync(jails, bans, cancellationToken));
            }

            if (settings.Firewall != FirewallKind.Pf)
            {
                findings.AddRange(await HostForwardingDoctor.Create(Backends.GuardOptions(settings)).DiagnoseAsync(cancellationToken));
            }
        }
        finally
        {
            (firewall as IDisposable)?.Dispose();
        }

        return new DoctorReport(findings);
    }

    private static async Task<IReadOnlyCollection<Ban>> StoredBansAsync(string path, List<DoctorFinding> findings, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            findings.Add(DoctorFinding.Warning("state", $"no state database at {path}: Warden has not run with this configuration yet", "start Warden (`warden run`)"));
            return [];
        }

        try
        {
            using var store = SqliteStateStore.Open(path);
            var now = TimeProvider.System.GetUtcNow();
            var bans = (await store.LoadAsync(now, cancellationToken)).Bans.Where(b => b.IsActiveAt(now)).ToList();
            findings.Add(DoctorFinding.Ok("state", $"{path}: {bans.Count} bans in force"));
            return bans;
        }
        catch (StateStoreException ex)
        {
            findings.Add(DoctorFinding.Problem("state", $"{path} cannot be read: {ex.Message}", "check the file's permissions, or move it away to start with an empty state"));
            return [];
        }
    }
}
