using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Warden.Core.Metrics;
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

    private static readonly Counter<long> CommitsInstrument = CoreMeter.Meter.CreateCounter<long>("store_commits", "{commit}", "State store commits written");
    private static readonly Counter<long> ErrorsInstrument = CoreMeter.Meter.CreateCounter<long>("store_errors", "{error}", "State store commits that failed");
    private static readonly Histogram<double> CommitDuration = CoreMeter.SecondsHistogram("store_commit_duration_seconds", "Duration of state store commits that succeeded");

    private readonly IStateStore _store;
    private readonly EngineStats _stats;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Action<StateChanges> _wholeState;
    private readonly Dictionary<string, string> _committed = new(StringComparer.Ordinal);

    /// <param name="store">The store.</param>
    /// <param name="stats">Counts commits and errors.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="time">The clock of the commit durations.</param>
    /// <param name="wholeState">Adds every ban in force and every counted failure to a batch, for a store that lost its file.</param>
    public StoreSync(IStateStore store, EngineStats stats, ILogger logger, TimeProvider time, Action<StateChanges> wholeState)
    {
        _store = store;
        _stats = stats;
        _log = logger;
        _time = time;
        _wholeState = wholeState;
        ErrorsInstrument.Add(0);
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
            await CommitOnceAsync(cancellationToken);
        }
        catch (StateStoreException ex) when (ex.Lost)
        {
            // The file was deleted or replaced under us and the store made a new one: write
            // everything memory holds, the checkpoints of earlier commits first (later ones win).
            Log.StoreLost(_log, ex.Message, ex.Location);
            Changes.Checkpoints.InsertRange(0, _committed.Select(c => new SourceCheckpoint(c.Key, c.Value)));
            _wholeState(Changes);
            try
            {
                await CommitOnceAsync(cancellationToken);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                Failed(again);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(ex);
        }
    }

    private async Task CommitOnceAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        await _store.CommitAsync(Changes, cancellationToken);
        CommitDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
        CommitsInstrument.Add(1);
        foreach (var checkpoint in Changes.Checkpoints)
        {
            _committed[checkpoint.SourceId] = checkpoint.Token;
        }

        Changes.Clear();
        _stats.AddCommit();
    }

    private void Failed(Exception ex)
    {
        _stats.AddStoreError();
        ErrorsInstrument.Add(1);
        Log.StoreFailed(_log, ex);
        if (Changes.Failures.Count > MaxPendingFailures)
        {
            Changes.Failures.RemoveRange(0, Changes.Failures.Count - MaxPendingFailures);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1041, LogLevel.Warning, "{Error}; writing every ban in force, counted failure and read position from memory into {Location}")]
        public static partial void StoreLost(ILogger logger, string error, string location);

        [LoggerMessage(1040, LogLevel.Error, "State store commit failed; retrying with the next batch")]
        public static partial void StoreFailed(ILogger logger, Exception exception);
    }
}
