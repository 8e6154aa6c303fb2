using System.CommandLine;
using Warden.Cli.Output;
using Warden.Core.Bans;
using Warden.Core.Fleet;
using Warden.Web;
using Warden.Web.Api;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden status [JAIL] [--bans] [--json]</c>: the running daemon's counters per jail, or one
/// jail as fail2ban-client's <c>status JAIL</c> shows it (currently and total failed, files
/// watched, currently and total banned, the banned list).
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var jailName = new Argument<string?>("jail") { Description = "One jail, as fail2ban-client status JAIL", Arity = ArgumentArity.ZeroOrOne };
        var bans = new Option<bool>("--bans") { Description = "Also list the bans in force" };
        var json = CommonOptions.Json();
        var socket = AdminOptions.Socket();
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("status", "Show the running daemon's status") { jailName, bans, json, socket, configDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ApiClient(AdminOptions.ResolveSocket(result.GetValue(socket), result.GetValue(configDir)));
            var asJson = result.GetValue(json);
            try
            {
                var status = await client.StatusAsync(cancellationToken);
                var inForce = await client.BansAsync(cancellationToken);
                var only = result.GetValue(jailName);
                if (only is not null && status.Jails.All(j => j.Name != only))
                {
                    var message = $"no jail '{only}' is running (running: {string.Join(", ", status.Jails.Select(j => j.Name))})";
                    return await Json.ErrorAsync(message, 1, asJson);
                }

                var jails = status.Jails.Where(j => only is null || j.Name == only).Select(j => new JailJson(
                    j.Name,
                    [.. inForce.Where(b => b.Jail == j.Name).Select(b => b.Target)],
                    j.Tracked,
                    j.Failures,
                    j.Bans,
                    j.Ignored,
                    j.Refused,
                    j.Sources,
                    j.Observe ? "observe" : "enforce")).ToList();
                if (asJson)
                {
                    Json.Write(
                        new StatusJson(status.Version, status.Started, status.Firewall, status.ConfigDirectory, status.StateFile, status.RegexEngine, status.BansInForce, status.Lines, status.Commits, status.FirewallErrors, status.StoreErrors, jails, status.Fleet, status.Sources),
                        CliJsonContext.Default.StatusJson);
                }
                else if (only is not null)
                {
                    PrintJail(jails[0], Console.Out);
                }
                else
                {
                    PrintAll(status, result.GetValue(bans) ? inForce : null, Console.Out);
                }

                return 0;
            }
            catch (ApiException ex)
            {
                return await Json.ErrorAsync(ex.Message, 1, asJson);
            }
        });
        return command;
    }

    /// <summary>The text of <c>warden status</c> without a jail: the daemon, its jails, the fleet and, when asked, the bans.</summary>
    internal static void PrintAll(StatusDto status, BanDto[]? bans, TextWriter output)
    {
        // The version text already starts with "warden" (VersionCommand.Describe).
        output.WriteLine($"{status.Version}, up since {BanTimeText.Format(status.Started)}");
        output.WriteLine($"config: {status.ConfigDirectory}; state: {status.StateFile}; firewall: {status.Firewall}; regex: {status.RegexEngine}");
        output.WriteLine($"{status.BansInForce} ban(s) in force; {status.Lines} lines read; {status.Commits} commits; errors: firewall {status.FirewallErrors}, store {status.StoreErrors}");
        output.WriteLine($"memory: {status.WorkingSetBytes / 1048576.0:F1} MiB resident, {status.ManagedHeapBytes / 1048576.0:F1} MiB managed heap");
        output.WriteLine($"{status.Jails.Count} jail(s): {string.Join(", ", status.Jails.Select(j => j.Name))}");
        output.WriteLine($"{"jail",-20} {"banned",8} {"tracked",8} {"failures",9} {"bans",7} {"ignored",8} {"refused",8}");
        foreach (var jail in status.Jails)
        {
            output.WriteLine($"{(jail.Observe ? jail.Name + " (observe)" : jail.Name),-20} {jail.BansInForce,8} {jail.Tracked,8} {jail.Failures,9} {jail.Bans,7} {jail.Ignored,8} {jail.Refused,8}");
        }

        foreach (var source in status.Sources.Where(s => s.Dropped > 0))
        {
            output.WriteLine($"source {source.Id}: {source.Dropped} line(s) dropped, Warden fell behind (read {source.Lines})");
        }

        foreach (var source in status.Sources.Where(s => s.Lost > 0))
        {
            output.WriteLine($"source {source.Id}: unread data was gone {source.Lost} time(s) (a rotated file deleted or compressed before it was read; see the log)");
        }

        if (status.Fleet is { } fleet)
        {
            PrintFleet(fleet, DateTimeOffset.UtcNow, output);
        }

        foreach (var ban in bans ?? [])
        {
            output.WriteLine($"{ban.Jail} {ban.Target} since {BanTimeText.Format(ban.Start)} until {BanTimeText.Expiry(ban.Expires)} ({ban.Origin}{(ban.WouldBan ? ", would ban: the jail observes" : string.Empty)})");
        }
    }

    private static void PrintFleet(FleetStatus fleet, DateTimeOffset now, TextWriter output)
    {
        var lag = fleet.LagSeconds is { } seconds ? $"lag {seconds:F3} s" : "nothing received yet";
        var dropped = fleet.Dropped.Count == 0 ? "" : $" ({string.Join(", ", fleet.Dropped.Select(d => $"{d.Reason} {d.Count}"))})";
        output.WriteLine($"fleet: node {fleet.Node}, {(fleet.Connected ? "connected" : "NOT connected (banning locally, own decisions queued)")}, {lag}; {fleet.Queued} queued, {fleet.Published} published, {fleet.Applied} applied, {fleet.Rejected} rejected{dropped}");
        foreach (var peer in fleet.Peers)
        {
            output.WriteLine(peer.LastHeard is { } heard
                ? $"  peer {peer.Name}: last heard {BanTimeText.Format(heard)} ({Math.Max(0, (now - heard).TotalSeconds):F0} s ago)"
                : $"  peer {peer.Name}: never heard");
        }
    }

    // fail2ban-client status JAIL's layout (client/beautifier.py), with Warden's words for the counts.
    private static void PrintJail(JailJson jail, TextWriter output)
    {
        output.WriteLine($"Status for the jail: {jail.Name}");
        output.WriteLine("|- Filter");
        output.WriteLine($"|  |- Currently failed:\t{jail.Failing}");
        output.WriteLine($"|  |- Total failed:\t{jail.Failures}");
        output.WriteLine($"|  `- File list:\t{string.Join(" ", jail.Sources)}");
        output.WriteLine(jail.Mode == "observe" ? "`- Actions (the jail observes: would ban, no firewall change)" : "`- Actions");
        output.WriteLine($"   |- Currently banned:\t{jail.Banned.Count}");
        output.WriteLine($"   |- Total banned:\t{jail.Bans}");
        output.WriteLine($"   `- Banned IP list:\t{string.Join(" ", jail.Banned)}");
    }
}
