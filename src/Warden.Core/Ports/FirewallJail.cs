using Warden.Core.Jails;

namespace Warden.Core.Ports;

/// <summary>What a firewall backend needs to know of a jail to create its objects.</summary>
/// <param name="Name">Jail name; backends derive their set or table names from it.</param>
/// <param name="Ports">Destination ports the jail's bans cover; empty means every port.</param>
/// <param name="Protocol">The protocol of <paramref name="Ports"/>.</param>
public sealed record FirewallJail(string Name, IReadOnlyList<PortRange> Ports, PortProtocol Protocol)
{
    /// <summary>The firewall view of a jail policy.</summary>
    public static FirewallJail From(JailPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new FirewallJail(policy.Name, policy.Ports, policy.Protocol) { ScanLog = policy.PortScan?.LogRule };
    }

    /// <summary>The logging rule of a port-scan jail the backend installs in its own objects; null for none.</summary>
    public ScanLogRule? ScanLog { get; init; }
}
