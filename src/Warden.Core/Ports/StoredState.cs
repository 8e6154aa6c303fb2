using Warden.Core.Bans;

namespace Warden.Core.Ports;

/// <summary>What a store hands back at start.</summary>
/// <param name="Bans">Bans in force (not lifted, not expired).</param>
/// <param name="Failures">Failures counted but not yet turned into a ban.</param>
/// <param name="Checkpoints">The last committed checkpoint of every source.</param>
public sealed record StoredState(
    IReadOnlyList<Ban> Bans,
    IReadOnlyList<StoredFailure> Failures,
    IReadOnlyList<SourceCheckpoint> Checkpoints);
