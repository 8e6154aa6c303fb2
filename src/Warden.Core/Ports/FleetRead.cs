namespace Warden.Core.Ports;

/// <summary>What one <see cref="IFleetBus.ReadAsync"/> returned.</summary>
/// <param name="Entries">Raw entries after the position, in log order: their fields as read (attacker-writable text), to parse and judge.</param>
/// <param name="Position">The position after the last entry returned (the same as asked when none).</param>
/// <param name="Gap">True when entries after the asked position were lost to trimming or a wiped log: resync from the snapshot.</param>
public sealed record FleetRead(IReadOnlyList<FleetRawEntry> Entries, string? Position, bool Gap);
