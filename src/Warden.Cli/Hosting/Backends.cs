using Microsoft.Extensions.Logging;
using Warden.Core.Ports;
using Warden.Firewall.Iptables;
using Warden.Firewall.Nftables;
using Warden.Firewall.Pf;

namespace Warden.Cli.Hosting;

/// <summary>Firewall backends by registered name; an unknown name fails at start-up and in <c>warden check</c>.</summary>
internal static class Backends
{
    public static readonly string[] Names = ["nftables", "iptables", "pf"];

    /// <summary>The configured backend, wrapped in the forward guard when <c>forward_allow</c> names interfaces.</summary>
    public static Enforcer Create(WardenSettings settings, ILoggerFactory logs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logs);
        var blockType = settings.BlockType == "reject" ? BlockType.Reject : BlockType.Drop;
        var backend = settings.Firewall switch
        {
            "nftables" => Enforcer.Monitored(NftablesFirewall.Create(new NftablesOptions { BlockType = blockType }, time, logs.CreateLogger("Warden.Firewall.Nftables"))),
            "iptables" => Enforcer.Monitored(IptablesFirewall.Create(
                new IptablesOptions { BlockType = blockType, Iptables = settings.Iptables, Ip6tables = Ip6tables(settings) }, time, logs.CreateLogger("Warden.Firewall.Iptables"))),
            "pf" => Enforcer.Monitored(PfFirewall.Create(new PfOptions { BlockType = blockType }, time, logs.CreateLogger("Warden.Firewall.Pf"))),
            _ => throw new ArgumentException($"unknown firewall backend '{settings.Firewall}'", nameof(settings)),
        };
        return settings.Firewall == "pf" || settings.ForwardAllow.Count == 0
            ? backend
            : Enforcer.Monitored(ForwardGuard.Create(backend.Firewall, backend.Monitor, GuardOptions(settings), logs.CreateLogger("Warden.Firewall.ForwardGuard")));
    }

    /// <summary>The forward guard's settings, also what <c>warden doctor</c> checks forwarding against.</summary>
    public static ForwardGuardOptions GuardOptions(WardenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ForwardGuardOptions { Interfaces = settings.ForwardAllow, Iptables = settings.Iptables, Ip6tables = Ip6tables(settings) };
    }

    private static string Ip6tables(WardenSettings settings) => settings.Iptables.Replace("iptables", "ip6tables", StringComparison.Ordinal);
}
