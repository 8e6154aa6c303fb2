using Microsoft.Extensions.Logging;
using Warden.Core.Ports;
using Warden.Firewall.Nftables;

namespace Warden.Cli.Hosting;

/// <summary>Firewall backends by registered name; an unknown name fails at start-up and in <c>warden check</c>.</summary>
internal static class Backends
{
    public static readonly string[] Names = ["nftables"];

    public static IFirewall Create(WardenSettings settings, ILoggerFactory logs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logs);
        return settings.Firewall switch
        {
            "nftables" => NftablesFirewall.Create(
                new NftablesOptions { BlockType = settings.BlockType == "reject" ? BlockType.Reject : BlockType.Drop },
                time,
                logs.CreateLogger("Warden.Firewall.Nftables")),
            _ => throw new ArgumentException($"unknown firewall backend '{settings.Firewall}'", nameof(settings)),
        };
    }
}
