using System.CommandLine;
using Warden.Cli.Output;
using Warden.Core.Bans;
using Warden.Fail2Ban.Jails;
using Warden.Web;
using Warden.Web.Api;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden ban JAIL ADDRESS [--time 1h]</c>: asks the running daemon to ban an address or
/// network in a jail; the ban passes the allowlist guard and is recorded like any other.
/// </summary>
internal static class BanCommand
{
    public static Command Create()
    {
        var jail = new Argument<string>("jail") { Description = "The jail whose firewall set holds the ban" };
        var target = new Argument<string>("address") { Description = "An address or a network (CIDR)" };
        var time = new Option<string?>("--time", "-t") { Description = "How long, in fail2ban's time syntax (10m, 1h, 1d; -1 = permanent). Default: the jail's bantime" };
        var force = new Option<bool>("--force") { Description = "Ban a network wider than /8 (IPv4) or /32 (IPv6)" };
        var json = CommonOptions.Json();
        var socket = AdminOptions.Socket();
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("ban", "Ban an address in a jail of the running daemon") { jail, target, time, force, json, socket, configDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            double? seconds = null;
            if (result.GetValue(time) is { } text)
            {
                if (!Duration.TryParseSeconds(text, out var parsed, out var error))
                {
                    return await Json.ErrorAsync($"--time: {error}", 2, result.GetValue(json));
                }

                seconds = parsed < 0 ? -1 : parsed;
            }

            using var client = new ApiClient(AdminOptions.ResolveSocket(result.GetValue(socket), result.GetValue(configDir)));
            try
            {
                var ban = await client.BanAsync(new BanRequest(result.GetValue(jail)!, result.GetValue(target)!, seconds, result.GetValue(force)), cancellationToken);
                if (result.GetValue(json))
                {
                    Json.Write(ban, ApiJsonContext.Default.BanDto);
                }
                else
                {
                    Console.Out.WriteLine($"{(ban.WouldBan ? "would ban (the jail observes; no firewall change)" : "banned")} {ban.Target} in {ban.Jail} until {BanTimeText.Expiry(ban.Expires)}");
                }

                return 0;
            }
            catch (ApiException ex)
            {
                return await Json.ErrorAsync(ex.Message, 1, result.GetValue(json));
            }
        });
        return command;
    }
}
