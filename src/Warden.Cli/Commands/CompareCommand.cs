using System.CommandLine;
using Warden.Cli.Hosting;
using Warden.Cli.Output;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Migration;
using Warden.Core.Ports;
using Warden.Fail2Ban;
using Warden.Store.Sqlite;
using Warden.Web.Api;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden compare [--fail2ban-db DB] [--config-dir DIR] [--since TIME] [--json]</c>: reads
/// fail2ban's database and Warden's state (both read-only; the daemons may run) and lists, jail by
/// jail, the addresses both banned, only fail2ban banned and only Warden banned (or would have,
/// in shadow mode), each difference with its reason and evidence. Exit status as diff(1): 0 when
/// both banned the same, 1 when they differ, 2 on trouble.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var database = new Option<string>("--fail2ban-db") { Description = $"fail2ban's database (default {ImportCommand.DefaultDatabase})", DefaultValueFactory = _ => ImportCommand.DefaultDatabase };
        var since = new Option<string?>("--since") { Description = "Compare bans from this time on: ISO 8601 (2026-12-01T08:00:00Z) or an age (24h, 7d). Default: since Warden's state began" };
        var configDir = CommonOptions.ConfigDir();
        var json = CommonOptions.Json();
        var command = new Command("compare", "Compare fail2ban's bans with Warden's (exit 0: the same, 1: they differ, 2: trouble)") { database, since, configDir, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var asJson = result.GetValue(json);
            var path = result.GetValue(database)!;
            WardenConfig config;
            try
            {
                config = WardenConfig.Load(ConfigLocation.Resolve(result.GetValue(configDir)), TimeProvider.System);
            }
            catch (ConfigException ex)
            {
                return await Fail(asJson, ex.Error.ToString());
            }

            var state = config.Settings.StatePath;
            if (!File.Exists(state))
            {
                return await Fail(asJson, $"{state}: no Warden state to compare; run warden (in shadow mode beside fail2ban: [warden] mode = shadow) first");
            }

            try
            {
                var fail2ban = Fail2BanDatabase.ReadBans(path, out _);
                var jails = Fail2BanDatabase.ReadJails(path);
                using var store = SqliteStateStore.Open(state);
                DateTimeOffset from;
                if (result.GetValue(since) is { } text)
                {
                    if (!ReplayCommand.TryParseSince(text, DateTimeOffset.UtcNow, out from))
                    {
                        return await Fail(asJson, $"--since: '{text}' is neither an ISO 8601 time nor an age such as 24h or 7d");
                    }
                }
                else
                {
                    from = store.Began;
                }

                var comparison = BanComparison.Compare(fail2ban, jails, store.BansSince(from), [.. config.Jails.Select(j => j.Definition.Policy)], store.Failures(), from);
                var differences = comparison.Sum(j => j.OnlyFail2Ban.Count + j.OnlyWarden.Count);
                if (asJson)
                {
                    Json.Write(ToJson(path, state, from, differences, comparison), CliJsonContext.Default.CompareJson);
                }
                else
                {
                    Print(path, state, from, differences, comparison, Console.Out);
                }

                return differences == 0 ? 0 : 1;
            }
            catch (StateStoreException ex)
            {
                return await Fail(asJson, ex.Message);
            }
        });
        return command;
    }

    private static async Task<int> Fail(bool asJson, string message) =>
        await Json.ErrorAsync(message, 2, asJson);

    private static CompareJson ToJson(string database, string state, DateTimeOffset since, int differences, IReadOnlyList<JailComparison> comparison) =>
        new(database, state, since, differences, [.. comparison.Select(j => new CompareJailJson(
            j.Jail,
            [.. j.Both.Select(b => new BothJson(b.Address.ToString(), b.Fail2BanStart, b.WardenStart, AddressParsing.Format(b.WardenTarget), b.WouldBan))],
            [.. j.OnlyFail2Ban.Select(Difference)],
            [.. j.OnlyWarden.Select(Difference)]))]);

    private static DifferenceJson Difference(Difference d) =>
        new(d.Address.ToString(), d.Target is { } t ? AddressParsing.Format(t) : d.Address.ToString(), d.Start, d.Failures, d.Reason, d.WouldBan, [.. d.Evidence.Select(EvidenceDto.From)]);

    private static void Print(string database, string state, DateTimeOffset since, int differences, IReadOnlyList<JailComparison> comparison, TextWriter output)
    {
        output.WriteLine($"fail2ban ({database}) and Warden ({state}) since {BanTimeText.Format(since)}: {(differences == 0 ? "the same bans" : $"{differences} difference(s)")}");
        foreach (var jail in comparison)
        {
            output.WriteLine($"[{jail.Jail}] {jail.Both.Count} banned by both, {jail.OnlyFail2Ban.Count} only by fail2ban, {jail.OnlyWarden.Count} only by Warden");
            foreach (var both in jail.Both)
            {
                var target = AddressParsing.IsHost(both.WardenTarget) ? string.Empty : $" (Warden: {AddressParsing.Format(both.WardenTarget)})";
                output.WriteLine($"  both           {both.Address}{target}{(both.WouldBan ? " (would ban)" : string.Empty)}");
            }

            Differences("only fail2ban ", jail.OnlyFail2Ban, output);
            Differences("only Warden   ", jail.OnlyWarden, output);
        }
    }

    private static void Differences(string side, IReadOnlyList<Difference> differences, TextWriter output)
    {
        foreach (var d in differences)
        {
            var what = d.Target is { } t ? AddressParsing.Format(t) : d.Address.ToString();
            output.WriteLine($"  {side} {what} at {BanTimeText.Format(d.Start)}{(d.WouldBan ? " (would ban)" : string.Empty)}: {d.Reason}");
            foreach (var line in d.Evidence)
            {
                output.WriteLine($"      {BanTimeText.Format(line.Time)} {line.Line}");
            }
        }
    }
}
