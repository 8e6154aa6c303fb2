namespace Warden.Firewall.Iptables;

/// <summary>
/// Forwarding that must keep working next to Docker (warden.conf <c>forward_allow = br0 br1</c>):
/// traffic bridged or routed through these interfaces, typically VM bridges.
/// </summary>
public sealed record ForwardGuardOptions
{
    /// <summary>The chain Warden owns for the guard's accepts, in the filter table of iptables and ip6tables.</summary>
    public const string ChainName = "WARDEN-FORWARD";

    /// <summary>Interface names whose forwarded traffic is accepted (both directions).</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary>The iptables program (the same flavour Docker uses).</summary>
    public string Iptables { get; init; } = "iptables";

    /// <summary>The ip6tables program.</summary>
    public string Ip6tables { get; init; } = "ip6tables";

    /// <summary>A network namespace (as <c>ip netns</c> lists it) to run every command in; null for the host's own. For tests.</summary>
    public string? NetworkNamespace { get; init; }
}
