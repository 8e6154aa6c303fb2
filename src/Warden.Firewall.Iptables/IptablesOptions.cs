using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>Settings of the ipset + iptables backend (warden.conf section <c>[iptables]</c>).</summary>
public sealed record IptablesOptions
{
    /// <summary>The chain Warden owns in the filter table of iptables and ip6tables.</summary>
    public const string ChainName = "WARDEN";

    /// <summary>Drop or reject banned sources (<c>blocktype = drop|reject</c>).</summary>
    public BlockType BlockType { get; init; } = BlockType.Drop;

    /// <summary>Room per ipset (<c>maxelem</c>); ipset's default of 65,536 is too small for a busy host.</summary>
    public int MaxElements { get; init; } = 1_048_576;

    /// <summary>The iptables program (<c>iptables</c>, or <c>iptables-legacy</c> to match a legacy Docker).</summary>
    public string Iptables { get; init; } = "iptables";

    /// <summary>The ip6tables program.</summary>
    public string Ip6tables { get; init; } = "ip6tables";

    /// <summary>The ipset program.</summary>
    public string Ipset { get; init; } = "ipset";

    /// <summary>A network namespace (as <c>ip netns</c> lists it) to run every command in; null for the host's own. For tests.</summary>
    public string? NetworkNamespace { get; init; }
}
