using System.CommandLine;
using Warden.Core.Bans;
using Warden.Web;

namespace Warden.Cli.Commands;

/// <summary><c>warden status [--bans]</c>: the running daemon's counters per jail (and its bans).</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var bans = new Option<bool>("--bans") { Description = "Also list the bans in force" };
        var socket = AdminOptions.Socket();
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("status", "Show the running daemon's status") { bans, socket, configDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ApiClient(AdminOptions.ResolveSocket(result.GetValue(socket), result.GetValue(configDir)));
            try
            {
                var status = await client.StatusAsync(cancellationToken);
                var output = Console.Out;
                output.WriteLine($"warden {status.Version}, up since {status.Started:u}; firewall: {status.Firewall}");
                output.WriteLine($"config: {status.ConfigDirectory}; state: {status.StateFile}; firewall: {status.Firewall}; regex: {status.RegexEngine}");
                output.WriteLine($"{status.BansInForce} ban(s) in force; {status.Lines} lines read; {status.Commits} commits; errors: firewall {status.FirewallErrors}, store {status.StoreErrors}");
                output.WriteLine($"memory: {status.WorkingSetBytes / 1048576.0:F1} MiB resident, {status.ManagedHeapBytes / 1048576.0:F1} MiB managed heap");
                output.WriteLine($"{"jail",-20} {"banned",8} {"tracked",8} {"failures",9} {"bans",7} {"ignored",8} {"refused",8}");
                foreach (var jail in status.Jails)
                {
                    output.WriteLine($"{jail.Name,-20} {jail.BansInForce,8} {jail.Tracked,8} {jail.Failures,9} {jail.Bans,7} {jail.Ignored,8} {jail.Refused,8}");
                }

                if (result.GetValue(bans))
                {
                    foreach (var ban in await client.BansAsync(cancellationToken))
                    {
                        output.WriteLine($"{ban.Jail} {ban.Target} since {BanTimeText.Format(ban.Start)} until {BanTimeText.Expiry(ban.Expires)} ({ban.Origin})");
                    }
                }

                return 0;
            }
            catch (ApiException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
