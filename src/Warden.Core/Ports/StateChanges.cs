using Warden.Core.Bans;

namespace Warden.Core.Ports;

/// <summary>
/// One batch of state changes, committed together. Mutable while the engine collects a batch,
/// then handed to <see cref="IStateStore.CommitAsync"/>; not thread-safe.
/// </summary>
public sealed class StateChanges
{
    /// <summary>New source checkpoints (the last one per source wins).</summary>
    public List<SourceCheckpoint> Checkpoints { get; } = [];

    /// <summary>Failures counted in this batch.</summary>
    public List<StoredFailure> Failures { get; } = [];

    /// <summary>(jail, id) pairs whose stored failures are settled by a ban and can go.</summary>
    public List<(string Jail, string Id)> ClearedFailures { get; } = [];

    /// <summary>New bans (a ban of a target already banned in that jail replaces it), stored with their evidence.</summary>
    public List<Ban> Bans { get; } = [];

    /// <summary>Bans lifted before their expiry (manual unban), with the time they were lifted.</summary>
    public List<(Ban Ban, DateTimeOffset At)> Lifted { get; } = [];

    /// <summary>When set, stored failures older than this are deleted.</summary>
    public DateTimeOffset? PruneFailuresBefore { get; set; }

    /// <summary>
    /// When set, bans that ended (expired, lifted or superseded) before this are deleted with
    /// their evidence (<c>[warden] history</c>); bans in force are never deleted.
    /// </summary>
    public DateTimeOffset? PurgeHistoryBefore { get; set; }

    /// <summary>True when there is nothing to write.</summary>
    public bool IsEmpty =>
        Checkpoints.Count == 0 && Failures.Count == 0 && ClearedFailures.Count == 0 && Bans.Count == 0
        && Lifted.Count == 0 && PruneFailuresBefore is null && PurgeHistoryBefore is null;

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        Checkpoints.Clear();
        Failures.Clear();
        ClearedFailures.Clear();
        Bans.Clear();
        Lifted.Clear();
        PruneFailuresBefore = null;
        PurgeHistoryBefore = null;
    }
}
