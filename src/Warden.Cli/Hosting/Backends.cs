using Microsoft.Extensions.Logging;
using Warden.Core.Ports;

namespace Warden.Cli.Hosting;

/// <summary>Firewall backends by registered name; an unknown name fails at start-up and in <c>warden check</c>.</summary>
internal static class Backends
{
    public static readonly string[] Names = ["nftables"];

    public static IFirewall Create(WardenSettings settings, ILoggerFactory logs, TimeProvider time) =>
        throw new NotSupportedException("firewall backends are being merged");
}
