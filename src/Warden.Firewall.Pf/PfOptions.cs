using Warden.Core.Ports;

namespace Warden.Firewall.Pf;

/// <summary>Settings of the pf backend (warden.conf section <c>[pf]</c>).</summary>
public sealed record PfOptions
{
    /// <summary>
    /// The anchor Warden owns. pf.conf must evaluate it: <c>anchor "warden"</c> near the top of the
    /// filter rules (pf.conf(5), ANCHORS); <c>warden doctor</c> says so when it is missing.
    /// </summary>
    public string Anchor { get; init; } = "warden";

    /// <summary>The pfctl program.</summary>
    public string Pfctl { get; init; } = "/sbin/pfctl";

    /// <summary>Block with <c>block drop</c> or <c>block return</c> (<c>blocktype = drop|reject</c>).</summary>
    public BlockType BlockType { get; init; } = BlockType.Drop;

    /// <summary>
    /// Most <c>pfctl -k</c> state kills per ban call: a pf state outlives a new table entry, so
    /// an established attacker would keep its connection, but each kill is a process; bans past
    /// this count in one call (a backlog) only stop new connections.
    /// </summary>
    public int MaxStateKillsPerCall { get; init; } = 256;
}
