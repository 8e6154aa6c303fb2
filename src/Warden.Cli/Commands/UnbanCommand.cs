using System.CommandLine;
using Warden.Cli.Output;
using Warden.Web;
using Warden.Web.Api;

namespace Warden.Cli.Commands;

/// <summary><c>warden unban ADDRESS | --all</c>: lifts bans in the running daemon (recorded as lifted in the history).</summary>
internal static class UnbanCommand
{
    public static Command Create()
    {
        var target = new Argument<string?>("address") { Description = "Lift every ban touching this address or network", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Lift every ban" };
        var json = CommonOptions.Json();
        var socket = AdminOptions.Socket();
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("unban", "Lift bans in the running daemon") { target, all, json, socket, configDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            var address = result.GetValue(target);
            if (address is null == !result.GetValue(all))
            {
                return await Json.ErrorAsync("give either an address or --all", 2, result.GetValue(json));
            }

            using var client = new ApiClient(AdminOptions.ResolveSocket(result.GetValue(socket), result.GetValue(configDir)));
            try
            {
                var lifted = address is null ? await client.UnbanAllAsync(cancellationToken) : await client.UnbanAsync(address, cancellationToken);
                if (result.GetValue(json))
                {
                    Json.Write(lifted, ApiJsonContext.Default.UnbanResult);
                    return 0;
                }

                foreach (var ban in lifted.Lifted)
                {
                    Console.Out.WriteLine($"unbanned {ban.Target} in {ban.Jail}");
                }

                Console.Out.WriteLine($"{lifted.Lifted.Count} ban(s) lifted");
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
