namespace Warden.Core.Fleet;

/// <summary>What <see cref="FleetPolicy"/> decided about a received entry.</summary>
/// <param name="Entry">The entry judged; <c>null</c> for one that did not parse.</param>
/// <param name="Drop">Why it is not applied; <c>null</c> when it is.</param>
/// <param name="Remaining">For a ban to apply: how long it lasts here (expiry - now, capped at max_bantime).</param>
public sealed record FleetVerdict(FleetEntry? Entry, FleetDrop? Drop, TimeSpan Remaining)
{
    /// <summary>True when the entry is to be applied.</summary>
    public bool Applies => Drop is null;

    /// <summary>A verdict that drops the entry.</summary>
    public static FleetVerdict Dropped(FleetEntry? entry, FleetDrop drop) => new(entry, drop, TimeSpan.Zero);
}
