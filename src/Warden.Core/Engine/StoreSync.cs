using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Warden.Core.Metrics;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// The batch of state changes the loop collects (checkpoints, failures, bans, lifts) and its
/// commit: one transaction per flush. A failed commit keeps the batch for the next flush, with
/// what it holds bounded, so a store that stays down cannot take the memory. A fault is logged
/// once when it starts (its exception the first time only), once when its error changes and once
/// when commits work again, however many commits fail in between. Not thread-safe (the engine loop).
/// </summary>
internal sealed partial class StoreSync
{
    /// <summary>Failures kept while the store fails; the oldest go first (they leave findtime first).</summary>
    internal const int MaxPendingFailures = 100_000;

    /// <summary>
    /// Bans kept with their evidence while the store fails; later ones are kept without it (the
    /// ban itself is never dropped: a few hundred bytes each, against kilobytes of log lines).
    /// </summary>
    internal const int MaxPendingEvidence = 10_000;

    private static readonly Counter<long> CommitsInstrument = CoreMeter.Meter.CreateCounter<long>("store_commits", "{commit}", "State store commits written");
    private static readonly Counter<long> ErrorsInstrument = CoreMeter.Meter.CreateCounter<long>("store_errors", "{error}", "State store commits that failed");
    private static readonly Histogram<double> CommitDuration = CoreMeter.SecondsHistogram("store_commit_duration_seconds", "Duration of state store commits that succeeded");

    private readonly IStateStore _store;
    private readonly EngineStats _stats;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Action<StateChanges> _wholeState;
    private readonly Dictionary<string, string> _committed = new(StringComparer.Ordinal);
    private Fault? _fault;
    private bool _exceptionLogged;

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
        if (_fault is { } fault)
        {
            _fault = null;
            Log.StoreRecovered(_log, fault.Commits, _time.GetUtcNow() - fault.Since, fault.DroppedFailures, fault.StrippedEvidence);
        }
    }

    private void Failed(Exception ex)
    {
        _stats.AddStoreError();
        ErrorsInstrument.Add(1);
        var error = ex.Message;
        if (_fault is null)
        {
            _fault = new Fault(_time.GetUtcNow(), error);
            if (_exceptionLogged)
            {
                Log.StoreFailedAgain(_log, error);
            }
            else
            {
                _exceptionLogged = true;
                Log.StoreFailed(_log, error, ex);
            }
        }
        else if (_fault.Error != error)
        {
            _fault.Error = error;
            Log.StoreStillFailing(_log, error, _fault.Commits);
        }

        _fault.Commits++;
        Bound(_fault);
    }

    private void Bound(Fault fault)
    {
        var over = Changes.Failures.Count - MaxPendingFailures;
        if (over > 0)
        {
            Changes.Failures.RemoveRange(0, over);
            fault.DroppedFailures += over;
        }

        for (var i = MaxPendingEvidence; i < Changes.Bans.Count; i++)
        {
            var ban = Changes.Bans[i];
            if (ban.Evidence.Count > 0 || ban.Matches.Count > 0)
            {
                Changes.Bans[i] = ban with { Evidence = [], Matches = [] };
                fault.StrippedEvidence++;
            }
        }

        if (!fault.BoundSaid && (fault.DroppedFailures > 0 || fault.StrippedEvidence > 0))
        {
            fault.BoundSaid = true;
            Log.StoreBacklogBounded(_log, Changes.Bans.Count, Changes.Failures.Count, MaxPendingFailures, MaxPendingEvidence);
        }
    }

    private sealed class Fault(DateTimeOffset since, string error)
    {
        public DateTimeOffset Since { get; } = since;

        public string Error { get; set; } = error;

        public int Commits { get; set; }

        public long DroppedFailures { get; set; }

        public long StrippedEvidence { get; set; }

        public bool BoundSaid { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1041, LogLevel.Warning, "{Error}; writing every ban in force, counted failure and read position from memory into {Location}")]
        public static partial void StoreLost(ILogger logger, string error, string location);

        [LoggerMessage(1040, LogLevel.Error, "State store commit failed: {Error}; bans and counts go on in memory and the batch is retried with each flush, logged again when the error changes or commits work")]
        public static partial void StoreFailed(ILogger logger, string error, Exception exception);

        [LoggerMessage(1042, LogLevel.Error, "State store commit failed: {Error}; bans and counts go on in memory and the batch is retried with each flush (the exception was logged at the first fault)")]
        public static partial void StoreFailedAgain(ILogger logger, string error);

        [LoggerMessage(1043, LogLevel.Error, "State store still failing, now with: {Error} ({Commits} failed commits so far)")]
        public static partial void StoreStillFailing(ILogger logger, string error, int commits);

        [LoggerMessage(1044, LogLevel.Warning, "State store failing: the waiting batch holds {Bans} bans and {Failures} failures; it keeps at most {MaxFailures} failures (the oldest go) and the evidence of the first {MaxEvidence} bans")]
        public static partial void StoreBacklogBounded(ILogger logger, int bans, int failures, int maxFailures, int maxEvidence);

        [LoggerMessage(1045, LogLevel.Information, "State store commits work again after {Commits} failed commits over {Duration}; {DroppedFailures} failures and the evidence of {StrippedEvidence} bans were not kept meanwhile")]
        public static partial void StoreRecovered(ILogger logger, int commits, TimeSpan duration, long droppedFailures, long strippedEvidence);
    }
}
