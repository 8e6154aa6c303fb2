using Warden.Core.Ports;

namespace Warden.Firewall.Nftables;

/// <summary>Settings of the nftables backend (warden.conf section <c>[nftables]</c>).</summary>
public sealed record NftablesOptions
{
    /// <summary>The table Warden owns: <c>table inet warden</c>. Fixed, so every tool knows where to look.</summary>
    public const string TableName = "warden";

    /// <summary>Drop or reject banned sources (<c>blocktype = drop|reject</c>).</summary>
    public BlockType BlockType { get; init; } = BlockType.Drop;

    /// <summary>
    /// Name of a network namespace (as <c>ip netns</c> lists it) to run every nft call in; null for
    /// the daemon's own namespace. For tests: the backend refuses to run at all if it cannot prove
    /// its thread left the process's own namespace.
    /// </summary>
    public string? NetworkNamespace { get; init; }
}
