using System.Net;

namespace Warden.Core.Fleet;

/// <summary>
/// One decision a node shares with the fleet: who made it, in which order, what it bans or lifts
/// and until when. Immutable. On the wire it is plain text fields (<see cref="DecisionText"/>)
/// signed by its origin (<see cref="FleetEntry"/>).
/// </summary>
/// <param name="Origin">The node that made the decision (its name in the peers' <c>peers_dir</c>).</param>
/// <param name="Sequence">The origin's sequence number: strictly increasing per origin, across restarts.</param>
/// <param name="Kind">Ban or unban.</param>
/// <param name="Jail">The origin's jail that made the ban.</param>
/// <param name="Target">The banned address or network.</param>
/// <param name="Issued">When the origin made the decision.</param>
/// <param name="Expires">When the ban ends; <c>null</c> for a permanent ban (receivers cap it at max_bantime).</param>
/// <param name="Reason">Short text for an admin (the jail, the failure count); never applied as anything.</param>
/// <param name="Evidence">Hex digest of the evidence (the matched lines) the origin keeps; empty when none.</param>
public sealed record FleetDecision(
    string Origin,
    long Sequence,
    DecisionKind Kind,
    string Jail,
    IPNetwork Target,
    DateTimeOffset Issued,
    DateTimeOffset? Expires,
    string Reason,
    string Evidence);
