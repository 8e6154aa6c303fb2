using Microsoft.Extensions.Logging;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// The batch of state changes the loop collects (checkpoints, failures, bans, lifts) and its
/// commit: one transaction per flush. A failed commit keeps the batch for the next flush, with
/// the failures it holds bounded, so a store that stays down cannot take the memory. Not
/// thread-safe (the engine loop).
/// </summary>
internal sealed partial class StoreSync
{
    // Failures kept while the store fails; the oldest go first (they leave findtime first).
    private const int MaxPendingFailures = 100_000;

    private readonly IStateStore _store;
    private readonly EngineStats _stats;
    private readonly ILogger _log;

    public StoreSync(IStateStore store, EngineStats stats, ILogger logger)
    {
        _store = store;
        _stats = stats;
        _log = logger;
    }

    /// <summary>The changes waiting for the next commit.</summary>
    public StateChanges Changes { get; } = new();

    /// <summary>Everything needed to resume, as the store holds it.</summary>
    public Task<StoredState> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken) => _store.LoadAsync(now, cancellationToken);

    /// <summary>Writes the waiting changes; on failure keeps them for the next call.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (Changes.IsEmpty)
        {
            return;
        }

        try
        {
            await _store.CommitAsync(Changes, cancellationToken);
            Changes.Clear();
            _stats.AddCommit();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _stats.AddStoreError();
            Log.StoreFailed(_log, ex);
            if (Changes.Failures.Count > MaxPendingFailures)
            {
                Changes.Failures.RemoveRange(0, Changes.Failures.Count - MaxPendingFailures);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1040, LogLevel.Error, "State store commit failed; retrying with the next batch")]
        public static partial void StoreFailed(ILogger logger, Exception exception);
    }
}
