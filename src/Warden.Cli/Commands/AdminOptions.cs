using System.CommandLine;
using Warden.Cli.Hosting;
using Warden.Fail2Ban;

namespace Warden.Cli.Commands;

/// <summary>How the admin verbs find the daemon: <c>--socket</c>, else warden.conf's <c>[api] socket</c>, else the default.</summary>
internal static class AdminOptions
{
    public static Option<string?> Socket() => new("--socket")
    {
        Description = "The daemon's API socket (default: [api] socket in warden.conf, else /run/warden/warden.sock)",
    };

    public static string ResolveSocket(string? socket, string? configDir)
    {
        if (socket is not null)
        {
            return socket;
        }

        try
        {
            var location = ConfigLocation.Resolve(configDir);
            return WardenSettingsReader.Read(location.Directory, [], []).ApiSocket;
        }
        catch (ConfigException)
        {
            return Web.ApiOptions.DefaultSocket;
        }
    }
}
