namespace Warden.Firewall.Nftables.Native;

/// <summary>What an own commit does to Warden's table, so the drift watch knows what to expect next.</summary>
internal enum CommitKind
{
    /// <summary>Recreates the whole table: its handle and object count are taken as the new reference.</summary>
    Apply,

    /// <summary>Changes set elements only.</summary>
    Change,

    /// <summary>Deletes the table: nothing is watched until the next apply.</summary>
    Remove,
}
