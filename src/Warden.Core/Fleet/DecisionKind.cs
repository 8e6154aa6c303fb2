namespace Warden.Core.Fleet;

/// <summary>What a fleet decision asks: a ban, or a tombstone lifting one.</summary>
public enum DecisionKind
{
    /// <summary>Ban the target in the jail until the expiry.</summary>
    Ban,

    /// <summary>Lift the origin's ban of the target in the jail (a tombstone).</summary>
    Unban,
}
