using Warden.Core.Fleet;

namespace Warden.Core.Ports;

/// <summary>
/// The shared log of fleet decisions (a Redis stream, for the Redis adapter). Publishing and
/// reading are independent: one publisher loop and one reader loop may call at the same time;
/// each side is called by one loop at a time. The bus carries entries as they were signed and
/// judges nothing: verifying and policy are the receiver's (<see cref="FleetPolicy"/>).
/// </summary>
public interface IFleetBus
{
    /// <summary>True while the bus is reachable (for status; a call may still fail).</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Appends this node's entries, in order, to the log, and sets (a ban) or removes (an unban)
    /// each one's place in the snapshot of decisions in force. All or nothing per call.
    /// </summary>
    /// <exception cref="FleetBusException">The bus could not be reached or refused the write; nothing or all was written, and writing the same entries again is harmless.</exception>
    Task PublishAsync(IReadOnlyList<FleetEntry> entries, CancellationToken cancellationToken);

    /// <summary>
    /// The entries after <paramref name="position"/> (<c>null</c>: from the start), at most
    /// <paramref name="max"/>. When the log no longer holds everything after the position (it was
    /// trimmed past it, or lost), the read says so and the caller resyncs from
    /// <see cref="SnapshotAsync"/>.
    /// </summary>
    /// <exception cref="FleetBusException">The bus could not be reached.</exception>
    Task<FleetRead> ReadAsync(string? position, int max, CancellationToken cancellationToken);

    /// <summary>Every decision in force, as written by its origin, and the log position it reflects.</summary>
    /// <exception cref="FleetBusException">The bus could not be reached.</exception>
    Task<FleetSnapshot> SnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the log may hold new entries (a wake-up, or <paramref name="timeout"/>); never carries entries.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
