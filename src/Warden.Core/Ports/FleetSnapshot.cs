namespace Warden.Core.Ports;

/// <summary>The decisions in force as the bus holds them, and the log position to read on from.</summary>
/// <param name="Entries">Each decision's text (<see cref="Fleet.DecisionText.ToLines"/>), not yet parsed nor trusted.</param>
/// <param name="Position">The log's last id when the snapshot was taken; reading on from it misses nothing.</param>
public sealed record FleetSnapshot(IReadOnlyList<string> Entries, string? Position);
