namespace Warden.Core.Ports;

/// <summary>
/// Durable state: bans (with their history), failures still inside findtime, and the checkpoint
/// of every log source. A commit is atomic, so after a crash the checkpoints and the counted
/// failures always agree: no line is counted twice and none is skipped. Calls come from one
/// engine loop at a time.
/// </summary>
public interface IStateStore
{
    /// <summary>Everything needed to resume: bans in force at <paramref name="now"/>, stored failures, checkpoints.</summary>
    Task<StoredState> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Writes one batch of changes in one transaction.</summary>
    /// <exception cref="StateStoreException">The change could not be written; nothing of it was.</exception>
    Task CommitAsync(StateChanges changes, CancellationToken cancellationToken);
}
