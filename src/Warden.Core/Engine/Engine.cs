using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// The daemon's heart: reads every source, runs each line through the filters of the jails that
/// watch it, counts failures, bans, and commits checkpoints, failures and bans together.
/// </summary>
/// <remarks>
/// All state lives on one loop fed by a channel (source batches, timer ticks, admin commands),
/// so jails, filters and the ban book need no locks. Order inside a batch: bans go to the
/// firewall first (latency), then one store commit records checkpoint, failures and bans. A
/// crash before the commit re-reads the batch on restart and re-applies the same bans, which is
/// idempotent, so no line is counted twice and none is lost.
/// </remarks>
public sealed partial class Engine
{
    private readonly Channel<Message> _inbox = Channel.CreateBounded<Message>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IReadOnlyList<Jail> _jails;
    private readonly Dictionary<string, Jail> _jailsByName;
    private readonly IReadOnlyList<SourceBinding> _sources;
    private readonly IFirewall _firewall;
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly EngineOptions _options;
    private readonly BanBook _book = new();
    private readonly StateChanges _changes = new();
    private readonly FirewallQueue _pending = new();
    private readonly List<BanCandidate> _candidates = [];
    private readonly BanGuard _guard;
    private readonly IBanHistory? _history;
    private readonly List<Detection.Detection> _detections = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _firewallDirty;
    private DateTimeOffset _firewallRetryAt;
    private TimeSpan _retryDelay = TimeSpan.FromSeconds(1);
    private DateTimeOffset _nextEviction;

    /// <summary>Creates an engine; nothing runs until <see cref="RunAsync"/>.</summary>
    public Engine(
        IReadOnlyList<Jail> jails,
        IReadOnlyList<SourceBinding> sources,
        IFirewall firewall,
        IStateStore store,
        TimeProvider time,
        ILogger logger,
        EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(sources);
        _jails = jails;
        _jailsByName = jails.ToDictionary(j => j.Name, StringComparer.Ordinal);
        _sources = sources;
        _firewall = firewall ?? throw new ArgumentNullException(nameof(firewall));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? new EngineOptions();
        _guard = new BanGuard(_options.Allowlist);
        _history = store as IBanHistory;
    }

    /// <summary>Engine-wide counters.</summary>
    public EngineStats Stats { get; } = new();

    /// <summary>The jails, in configuration order.</summary>
    public IReadOnlyList<Jail> Jails => _jails;

    /// <summary>Completes once stored bans are back in the firewall and every source is being read.</summary>
    public Task Started => _started.Task;

    /// <summary>
    /// Restores state, then reads and bans until <paramref name="cancellationToken"/> is cancelled.
    /// Returns normally on cancellation after the last commit.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = _time.GetUtcNow();
            var loading = System.Diagnostics.Stopwatch.StartNew();
            var state = await _store.LoadAsync(now, cancellationToken);
            RestoreBans(state.Bans, now);
            RestoreFailures(state.Failures, now);
            Log.StateLoaded(_log, _book.Count, state.Failures.Count, loading.Elapsed.TotalMilliseconds);
            await ApplyWholeStateAsync(cancellationToken);
            Log.Started(_log, _jails.Count, _sources.Count, _book.Count, _firewall.Name);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var checkpoints = state.Checkpoints.ToDictionary(c => c.SourceId, c => c.Token, StringComparer.Ordinal);
            var workers = _sources.Select(s => PumpAsync(s, checkpoints.GetValueOrDefault(s.Source.Id), stop.Token)).ToList();
            workers.Add(TickAsync(stop.Token));
            if (_firewall is IFirewallMonitor monitor)
            {
                workers.Add(WatchFirewallAsync(monitor, stop.Token));
            }

            _started.TrySetResult();
            try
            {
                await LoopAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Normal stop.
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(workers);
                await FlushAsync(CancellationToken.None);
                Log.Stopped(_log, Stats.Lines, _book.Count);
            }
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }
    }

    /// <summary>The bans in force, as a snapshot taken on the engine loop.</summary>
    public Task<IReadOnlyList<Ban>> ListBansAsync(CancellationToken cancellationToken) =>
        InvokeAsync<IReadOnlyList<Ban>>(_ => Task.FromResult<IReadOnlyList<Ban>>([.. _book.All]), cancellationToken);

    /// <summary>Runs <paramref name="action"/> on the engine loop, where it may read and change state.</summary>
    internal async Task<T> InvokeAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inbox.Writer.WriteAsync(new CommandMessage(async ct => await action(ct), done), cancellationToken);
        return (T)(await done.Task.WaitAsync(cancellationToken))!;
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var reader = _inbox.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var lines = 0;
            while (lines < _options.MaxLinesPerCommit && reader.TryRead(out var message))
            {
                switch (message)
                {
                    case BatchMessage batch:
                        lines += Process(batch.Binding, batch.Batch);
                        await DecideAsync(cancellationToken);
                        break;
                    case TickMessage:
                        await TickAsync(_time.GetUtcNow(), cancellationToken);
                        break;
                    case CommandMessage command:
                        await RunCommandAsync(command, cancellationToken);
                        break;
                }
            }

            await FlushAsync(cancellationToken);
        }
    }

    private int Process(SourceBinding binding, LogBatch batch)
    {
        var now = _time.GetUtcNow();
        foreach (var line in batch.Lines)
        {
            foreach (var jail in binding.Jails)
            {
                _detections.Clear();
                jail.Filter.Process(line, _detections);
                foreach (var detection in _detections)
                {
                    Count(jail, detection, now);
                }
            }
        }

        Stats.AddLines(batch.Lines.Count);
        if (batch.Overlong > 0)
        {
            Stats.AddOverlong(batch.Overlong);
        }

        _changes.Checkpoints.Add(new SourceCheckpoint(binding.Source.Id, batch.Checkpoint));
        return batch.Lines.Count;
    }

    private void Count(Jail jail, Detection.Detection detection, DateTimeOffset now)
    {
        var policy = jail.Policy;
        if (detection.Time < now - policy.FindTime)
        {
            // fail2ban (server/filter.py) skips lines older than findtime the same way: an old
            // line read after a restart or from a backlog must not ban anyone today.
            jail.Stats.AddStale();
            return;
        }

        if (detection.Address is not { } address)
        {
            // A failure id that is not an address (F-ID) cannot be banned by address.
            return;
        }

        if (jail.Ignore.Contains(address) || _options.Allowlist.Contains(address))
        {
            jail.Stats.AddIgnored();
            Log.Ignored(_log, jail.Name, address);
            return;
        }

        if (_book.IsBanned(jail.Name, address, now))
        {
            return;
        }

        jail.Stats.AddFailure();
        _changes.Failures.Add(new StoredFailure(jail.Name, detection.Id, address, detection.Time, detection.Attempts));
        var count = jail.Tracker.Add(detection.Id, detection.Time, detection.Attempts, policy.MaxMatches > 0 ? detection.Line : null);
        Log.Found(_log, jail.Name, address, count, policy.MaxRetry);
        if (count >= policy.MaxRetry)
        {
            // The ban itself is decided after the batch (BanPolicy: ignorecommand, escalation,
            // allowlist, prefix aggregation), where slow checks may be awaited.
            _changes.ClearedFailures.Add((jail.Name, detection.Id));
            _candidates.Add(new BanCandidate(jail, address, count, detection, jail.Tracker.TakenMatches));
        }
    }

    /// <summary>
    /// Puts a ban in force: the single choke point every ban passes, whatever its origin. The
    /// guard refuses a ban that covers an allowlisted address or every address.
    /// </summary>
    /// <returns>False when the guard refused it.</returns>
    private bool Impose(Ban ban)
    {
        var jail = _jailsByName[ban.Jail];
        if (_guard.Check(ban, jail.Ignore) is { } refusal)
        {
            jail.Stats.AddRefused();
            Log.Refused(_log, ban.Jail, AddressParsing.Format(ban.Target), ban.Origin, refusal);
            return false;
        }

        _book.Put(ban);
        _pending.Ban(ban);
        _changes.Bans.Add(ban);
        jail.Stats.AddBan();
        Log.Banned(_log, ban.Jail, AddressParsing.Format(ban.Target), ban.Expires, ban.Origin, ban.Failures);
        FeedRecidive(ban);
        return true;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_pending.IsEmpty)
        {
            // While the firewall is failing, the next whole-state apply carries these changes.
            if (!_firewallDirty)
            {
                try
                {
                    await _pending.SendAsync(_firewall, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    FirewallFailed(ex);
                }
            }

            _pending.Clear();
        }

        if (_changes.IsEmpty)
        {
            return;
        }

        try
        {
            await _store.CommitAsync(_changes, cancellationToken);
            _changes.Clear();
            Stats.AddCommit();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keep the batch and retry with the next flush; bound what piles up meanwhile.
            Stats.AddStoreError();
            Log.StoreFailed(_log, ex);
            if (_changes.Failures.Count > 100_000)
            {
                _changes.Failures.RemoveRange(0, _changes.Failures.Count - 100_000);
            }
        }
    }

    private async Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = _book.TakeExpired(now);
        foreach (var ban in expired)
        {
            Log.Expired(_log, ban.Jail, AddressParsing.Format(ban.Target));
        }

        if (expired.Count > 0 && !_firewall.ExpiresBans && !_firewallDirty)
        {
            try
            {
                await _firewall.UnbanAsync(expired, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                FirewallFailed(ex);
            }
        }

        if (now >= _nextEviction)
        {
            var longest = TimeSpan.Zero;
            foreach (var jail in _jails)
            {
                jail.Tracker.Evict(now);
                jail.Aggregator?.Evict(now);
                longest = jail.Policy.FindTime > longest ? jail.Policy.FindTime : longest;
            }

            _changes.PruneFailuresBefore = now - longest;
            _nextEviction = now + TimeSpan.FromSeconds(10);
        }

        if (_firewallDirty && now >= _firewallRetryAt)
        {
            await ApplyWholeStateAsync(cancellationToken);
        }
        else if (!_firewallDirty && _firewall is IFirewallMonitor monitor)
        {
            await RepairDriftAsync(monitor, cancellationToken);
        }
    }

    // A backend that notices drift by itself wakes the loop at once; the tick's check then
    // confirms and repairs it, so repair does not wait up to a whole tick interval.
    private async Task WatchFirewallAsync(IFirewallMonitor monitor, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await monitor.WhenChangedAsync(cancellationToken);
                await _inbox.Writer.WriteAsync(TickMessage.Instance, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The tick still checks; wait before watching again.
                Log.FirewallWatchFailed(_log, _firewall.Name, ex);
                try
                {
                    await Task.Delay(_options.TickInterval, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Someone else changed the backend's objects (a firewall reload, `nft flush ruleset`, Docker
    // rewriting its chains): the whole desired state goes back in, at the latest one tick later.
    private async Task RepairDriftAsync(IFirewallMonitor monitor, CancellationToken cancellationToken)
    {
        string? drift;
        try
        {
            drift = await monitor.CheckAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FirewallFailed(ex);
            return;
        }

        if (drift is not null)
        {
            Log.FirewallDrift(_log, _firewall.Name, drift);
            await ApplyWholeStateAsync(cancellationToken);
        }
    }

    private async Task ApplyWholeStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _firewall.ApplyStateAsync([.. _jails.Select(j => FirewallJail.From(j.Policy))], [.. _book.All], cancellationToken);
            if (_firewallDirty)
            {
                Log.FirewallRecovered(_log, _firewall.Name, _book.Count);
            }

            _firewallDirty = false;
            _retryDelay = TimeSpan.FromSeconds(1);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FirewallFailed(ex);
        }
    }

    private void FirewallFailed(Exception ex)
    {
        Stats.AddFirewallError();
        Log.FirewallFailed(_log, _firewall.Name, _retryDelay, ex);
        _firewallDirty = true;
        _firewallRetryAt = _time.GetUtcNow() + _retryDelay;
        _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
    }

    private void RestoreBans(IReadOnlyList<Ban> bans, DateTimeOffset now)
    {
        foreach (var ban in bans)
        {
            if (!ban.IsActiveAt(now))
            {
                continue;
            }

            if (!_jailsByName.TryGetValue(ban.Jail, out var jail))
            {
                Log.OrphanBan(_log, ban.Jail, AddressParsing.Format(ban.Target));
                continue;
            }

            // The allowlist may have grown since the ban was made: it wins over stored bans too.
            if (_guard.Check(ban, jail.Ignore) is { } refusal)
            {
                Log.Refused(_log, ban.Jail, AddressParsing.Format(ban.Target), ban.Origin, refusal);
                _changes.Lifted.Add((ban, now));
                continue;
            }

            _book.Put(ban);
        }
    }

    private void RestoreFailures(IReadOnlyList<StoredFailure> failures, DateTimeOffset now)
    {
        foreach (var failure in failures.OrderBy(f => f.Time))
        {
            if (_jailsByName.TryGetValue(failure.Jail, out var jail) && failure.Time >= now - jail.Policy.FindTime)
            {
                jail.Tracker.Add(failure.Id, failure.Time, failure.Attempts);
            }
        }
    }

    private async Task PumpAsync(SourceBinding binding, string? checkpoint, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var batch in binding.Source.ReadAsync(checkpoint, cancellationToken))
                {
                    await _inbox.Writer.WriteAsync(new BatchMessage(binding, batch), cancellationToken);
                    checkpoint = batch.Checkpoint;
                    delay = TimeSpan.FromSeconds(1);
                }

                Log.SourceEnded(_log, binding.Source.Id);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SourceFailed(_log, binding.Source.Id, delay, ex);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _inbox.Writer.WriteAsync(TickMessage.Instance, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task RunCommandAsync(CommandMessage command, CancellationToken cancellationToken)
    {
        try
        {
            command.Done.TrySetResult(await command.Action(cancellationToken));
        }
        catch (Exception ex)
        {
            command.Done.TrySetException(ex);
        }
    }

    private abstract record Message;

    private sealed record BatchMessage(SourceBinding Binding, LogBatch Batch) : Message;

    private sealed record TickMessage : Message
    {
        public static TickMessage Instance { get; } = new();
    }

    private sealed record CommandMessage(Func<CancellationToken, Task<object?>> Action, TaskCompletionSource<object?> Done) : Message;

    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Information, "Warden started: {Jails} jails, {Sources} sources, {Bans} bans restored into {Firewall}")]
        public static partial void Started(ILogger logger, int jails, int sources, int bans, string firewall);

        [LoggerMessage(1002, LogLevel.Information, "State loaded: {Bans} bans in force, {Failures} stored failures, in {Milliseconds} ms")]
        public static partial void StateLoaded(ILogger logger, int bans, int failures, double milliseconds);

        [LoggerMessage(1001, LogLevel.Information, "Warden stopped after {Lines} lines with {Bans} bans in force")]
        public static partial void Stopped(ILogger logger, long lines, int bans);

        [LoggerMessage(1010, LogLevel.Debug, "[{Jail}] found {Address} ({Count}/{MaxRetry})")]
        public static partial void Found(ILogger logger, string jail, IPAddress address, int count, int maxRetry);

        [LoggerMessage(1011, LogLevel.Debug, "[{Jail}] ignored {Address}: allowlisted")]
        public static partial void Ignored(ILogger logger, string jail, IPAddress address);

        [LoggerMessage(1020, LogLevel.Warning, "[{Jail}] Ban {Target} until {Expires} ({Origin}, {Failures} failures)")]
        public static partial void Banned(ILogger logger, string jail, string target, DateTimeOffset? expires, BanOrigin origin, int failures);

        [LoggerMessage(1021, LogLevel.Information, "[{Jail}] Unban {Target}: expired")]
        public static partial void Expired(ILogger logger, string jail, string target);

        [LoggerMessage(1022, LogLevel.Warning, "Stored ban of {Target} belongs to jail {Jail}, which is not configured; not restored")]
        public static partial void OrphanBan(ILogger logger, string jail, string target);

        [LoggerMessage(1030, LogLevel.Error, "Firewall {Firewall} failed; the whole state is applied again in {Delay}")]
        public static partial void FirewallFailed(ILogger logger, string firewall, TimeSpan delay, Exception exception);

        [LoggerMessage(1031, LogLevel.Information, "Firewall {Firewall} is back in sync with {Bans} bans")]
        public static partial void FirewallRecovered(ILogger logger, string firewall, int bans);

        [LoggerMessage(1032, LogLevel.Warning, "Firewall {Firewall} drifted ({Drift}); applying the whole state again")]
        public static partial void FirewallDrift(ILogger logger, string firewall, string drift);

        [LoggerMessage(1033, LogLevel.Warning, "Watching firewall {Firewall} for changes failed; relying on the tick")]
        public static partial void FirewallWatchFailed(ILogger logger, string firewall, Exception exception);

        [LoggerMessage(1040, LogLevel.Error, "State store commit failed; retrying with the next batch")]
        public static partial void StoreFailed(ILogger logger, Exception exception);

        [LoggerMessage(1050, LogLevel.Error, "Source {Source} failed; retrying in {Delay}")]
        public static partial void SourceFailed(ILogger logger, string source, TimeSpan delay, Exception exception);

        [LoggerMessage(1051, LogLevel.Information, "Source {Source} ended")]
        public static partial void SourceEnded(ILogger logger, string source);
    }
}
