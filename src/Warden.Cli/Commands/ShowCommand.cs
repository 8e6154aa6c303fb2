using System.CommandLine;
using Warden.Cli.Output;
using Warden.Core.Bans;
using Warden.Web;
using Warden.Web.Api;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden show ADDRESS [--json]</c>: every recorded ban of an address or network (in force or
/// not, prefix bans around it included) with the log lines that caused each, and the failures
/// counted now. Asks the running daemon, which reads its history.
/// </summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("address") { Description = "An address or a network (CIDR)" };
        var json = CommonOptions.Json();
        var socket = AdminOptions.Socket();
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("show", "Show why an address is (or was) banned: its bans, their evidence, its failures") { target, json, socket, configDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ApiClient(AdminOptions.ResolveSocket(result.GetValue(socket), result.GetValue(configDir)));
            ShowDto report;
            try
            {
                report = await client.ShowAsync(result.GetValue(target)!, cancellationToken);
            }
            catch (ApiException ex)
            {
                return await Json.ErrorAsync(ex.Message, 1, result.GetValue(json));
            }

            if (result.GetValue(json))
            {
                Json.Write(report, ApiJsonContext.Default.ShowDto);
            }
            else
            {
                Print(report, Console.Out);
            }

            return 0;
        });
        return command;
    }

    private static void Print(ShowDto report, TextWriter output)
    {
        output.WriteLine($"{report.Address}: {report.Bans.Count(b => b.InForce)} ban(s) in force, {report.Bans.Count} recorded, {report.Failures.Count} failure(s) counted now");
        foreach (var ban in report.Bans)
        {
            var state = (ban.InForce ? "in force" : "ended") + (ban.WouldBan ? ", would ban: the jail observed" : string.Empty);
            var who = ban.By is null ? ban.Origin : $"{ban.Origin} by {ban.By}";
            var bantime = ban.BanTime is { } seconds ? TimeSpan.FromSeconds(seconds).ToString() : "permanent";
            output.WriteLine();
            output.WriteLine($"  [{ban.Jail}] {ban.Target}  {BanTimeText.Format(ban.Start)} -> {BanTimeText.Expiry(ban.End)}  ({state})");
            output.WriteLine($"    why: {who}, {ban.Failures} failure(s) within findtime, escalation step {ban.Step}, bantime {bantime}");
            foreach (var line in ban.Evidence)
            {
                output.WriteLine($"    {BanTimeText.Format(line.Time)}  {line.Source}  {Printable(line.Line)}");
            }
        }

        if (report.Failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("  failures counted now:");
            foreach (var failure in report.Failures)
            {
                output.WriteLine($"    [{failure.Jail}] {BanTimeText.Format(failure.Time)} x{failure.Attempts}");
            }
        }
    }

    // Log lines are attacker-controlled: no terminal escape sequences reach the admin's terminal.
    private static string Printable(string line) =>
        string.Create(line.Length, line, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
}
