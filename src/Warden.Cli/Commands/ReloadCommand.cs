using System.CommandLine;
using Warden.Web;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden reload</c>: the running daemon reads its configuration again, as on SIGHUP, and
/// answers once it runs the new one, or, when the new one is broken, keeps the old and says why
/// (FILE:LINE: reason), exiting 1.
/// </summary>
internal static class ReloadCommand
{
    public static Command Create()
    {
        var socket = AdminOptions.Socket();
        var configDir = CommonOptions.ConfigDir();
        var command = new Command("reload", "Make the running daemon read its configuration again") { socket, configDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ApiClient(AdminOptions.ResolveSocket(result.GetValue(socket), result.GetValue(configDir)));
            try
            {
                var reload = await client.ReloadAsync(cancellationToken);
                foreach (var error in reload.Errors)
                {
                    Console.Out.WriteLine($"error: {error}");
                }

                Console.Out.WriteLine(reload.Message);
                return reload.Applied ? 0 : 1;
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
