namespace Warden.Core.Fleet;

/// <summary>The fleet as <c>warden status</c> shows it (<see cref="FleetLink.Status"/>).</summary>
/// <param name="Node">This node's name.</param>
/// <param name="Connected">True while the bus answers.</param>
/// <param name="LagSeconds">How long the last entry read took from its origin's decision to this node; <c>null</c> before the first.</param>
/// <param name="LastRead">When the log was last read without error; <c>null</c> before the first read.</param>
/// <param name="Queued">Own decisions waiting to be published (in the outbox or being sent).</param>
/// <param name="Published">Own decisions written to the bus.</param>
/// <param name="Applied">Remote decisions applied here.</param>
/// <param name="Rejected">Entries dropped as not what a trusted peer signed (malformed, unsigned, unknown origin, forged, replayed).</param>
/// <param name="Dropped">Every drop reason with its count, rejected or refused by policy.</param>
/// <param name="Peers">Every trusted peer and when it was last heard from.</param>
public sealed record FleetStatus(
    string Node,
    bool Connected,
    double? LagSeconds,
    DateTimeOffset? LastRead,
    int Queued,
    long Published,
    long Applied,
    long Rejected,
    IReadOnlyList<FleetDropCount> Dropped,
    IReadOnlyList<FleetPeerStatus> Peers);

/// <summary>Entries dropped for one reason.</summary>
/// <param name="Reason">The <see cref="FleetDrop"/> name.</param>
/// <param name="Count">How many.</param>
public sealed record FleetDropCount(string Reason, long Count);

/// <summary>One trusted peer.</summary>
/// <param name="Name">Its node name (<c>peers_dir/NAME.pub</c>).</param>
/// <param name="LastHeard">When its last valid entry arrived; <c>null</c> when never.</param>
public sealed record FleetPeerStatus(string Name, DateTimeOffset? LastHeard);
