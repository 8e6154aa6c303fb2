using System.CommandLine;
using System.Net;
using Warden.Cli.Hosting;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;
using Warden.Fail2Ban;
using Warden.Store.Sqlite;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden import-fail2ban [DB] [--config-dir DIR]</c>: takes fail2ban's bans (in force and
/// ended) into Warden's state file, so that the bans in force survive the switch (the next start
/// restores them into the firewall with their remaining time) and bantime.increment and recidive
/// go on counting the earlier ones. Run again, it adds only what it has not imported before.
/// </summary>
internal static class ImportCommand
{
    public const string DefaultDatabase = "/var/lib/fail2ban/fail2ban.sqlite3";

    public static Command Create()
    {
        var database = new Argument<string>("db") { Description = $"fail2ban's database (default {DefaultDatabase})", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultDatabase };
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("import-fail2ban", "Import fail2ban's bans in force and its ban history into Warden's state") { database, configDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(database)!;
            WardenConfig config;
            try
            {
                config = WardenConfig.Load(ConfigLocation.Resolve(result.GetValue(configDir)), TimeProvider.System);
            }
            catch (ConfigException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Error}");
                return 1;
            }

            foreach (var error in config.Errors)
            {
                await Console.Error.WriteLineAsync($"warning: {error}");
            }

            try
            {
                var bans = Fail2BanDatabase.ReadBans(path, out var skipped);
                using var store = SqliteStateStore.Open(config.Settings.StatePath);
                var now = DateTimeOffset.UtcNow;
                var changes = new StateChanges();
                var seen = new HashSet<(string, IPNetwork, DateTimeOffset)>();
                var known = config.Jails.Select(j => j.Definition.Name).ToHashSet(StringComparer.Ordinal);
                var unknown = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var ban in bans)
                {
                    if (!seen.Add((ban.Jail, ban.Target, ban.Start)))
                    {
                        continue;
                    }

                    var past = await store.HistoryAsync(ban.Target, 1_000, cancellationToken);
                    // Imported before, or Warden banned it in that jail since: a new ban of a target
                    // closes the open one, so an older one must not be written after a newer.
                    if (past.Any(p => p.Ban.Jail == ban.Jail && p.Ban.Start >= ban.Start))
                    {
                        continue;
                    }

                    if (!known.Contains(ban.Jail))
                    {
                        unknown.Add(ban.Jail);
                    }

                    changes.Bans.Add(ban);
                }

                await store.CommitAsync(changes, cancellationToken);
                var inForce = changes.Bans.Where(b => b.IsActiveAt(now)).ToList();
                Console.Out.WriteLine($"imported {changes.Bans.Count} ban(s) from {path} into {config.Settings.StatePath}: {inForce.Count} in force, {changes.Bans.Count - inForce.Count} ended (kept for bantime.increment and recidive); {bans.Count - changes.Bans.Count} already imported or older than Warden's own; {skipped} unreadable row(s) skipped");
                foreach (var ban in inForce.Take(20))
                {
                    Console.Out.WriteLine($"  {ban.Jail} {AddressParsing.Format(ban.Target)} until {BanTimeText.Expiry(ban.Expires)}");
                }

                if (unknown.Count > 0)
                {
                    Console.Out.WriteLine($"note: jail(s) {string.Join(", ", unknown)} are not configured here; their bans are kept in the history but not restored until a jail of that name runs");
                }

                Console.Out.WriteLine("the bans in force reach the firewall when warden (re)starts");
                return 0;
            }
            catch (StateStoreException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
