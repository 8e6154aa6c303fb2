using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Metrics;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// The daemon's loop: reads every source, hands each batch to the <see cref="BanDecisions"/>,
/// sends what they decide to the firewall (<see cref="FirewallSync"/>) and commits checkpoints,
/// failures and bans together (<see cref="StoreSync"/>).
/// </summary>
/// <remarks>
/// All state lives on one loop fed by one channel (<see cref="Inbox"/>: source batches, timer
/// ticks, admin commands), so jails, filters and the ban book need no locks. Order inside a
/// batch: bans go to the firewall first (latency), then one store commit records checkpoint,
/// failures and bans. A crash before the commit re-reads the batch on restart and re-applies the
/// same bans, which is idempotent, so no line is counted twice and none is lost.
/// </remarks>
public sealed partial class BanEngine
{
    // How often trackers drop what fell out of findtime, and the store prunes old failures.
    private static readonly TimeSpan EvictionInterval = TimeSpan.FromSeconds(10);

    // How often ended bans older than [warden] history leave the store: the history is read per
    // ban only (escalation, show), so purging once an hour is as good as on every tick.
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly JailSet _jails;
    private readonly IReadOnlyList<SourceBinding> _sources;
    private readonly BanBook _book = new();
    private readonly BanGuard _guard;
    private readonly BanDecisions _decisions;
    private readonly FirewallSync _firewall;
    private readonly StoreSync _store;
    private readonly IFirewallReadBack? _readBack;
    private readonly IBanHistory? _history;
    private readonly IEvidenceStore? _evidence;
    private readonly Inbox _inbox;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly EngineOptions _options;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _nextEviction;
    private DateTimeOffset _nextPurge;
    private IReadOnlyDictionary<string, string> _checkpoints = new Dictionary<string, string>();

    /// <summary>Creates an engine; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="jails">The jails, in configuration order.</param>
    /// <param name="sources">The log sources and the jails that read each.</param>
    /// <param name="firewall">Where bans are enforced.</param>
    /// <param name="monitor">The firewall's drift check (<paramref name="firewall"/> itself, for the native backends); <c>null</c> for none.</param>
    /// <param name="store">Where state is kept across restarts.</param>
    /// <param name="history">Earlier bans, for <c>bantime.increment</c> (the store, normally); <c>null</c> for none.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="options">Engine-wide settings.</param>
    /// <param name="evidence">The ban history with evidence, for <see cref="ShowAsync"/> (the store, normally); <c>null</c> for none.</param>
    /// <param name="outbound">Also receives every decision made here, after the firewall and the store (the fleet's <see cref="Fleet.FleetOutbox"/>); <c>null</c> for none.</param>
    public BanEngine(
        IReadOnlyList<Jail> jails,
        IReadOnlyList<SourceBinding> sources,
        IFirewall firewall,
        IFirewallMonitor? monitor,
        IStateStore store,
        IBanHistory? history,
        TimeProvider time,
        ILogger logger,
        EngineOptions? options = null,
        IEvidenceStore? evidence = null,
        IDecisionSink? outbound = null)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(firewall);
        ArgumentNullException.ThrowIfNull(store);
        _sources = sources ?? throw new ArgumentNullException(nameof(sources));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? new EngineOptions();
        _jails = new JailSet(jails);
        _guard = new BanGuard(_options.Allowlist);
        _firewall = new FirewallSync(firewall, monitor, _jails, _book, Stats, time, _options.MaxRetryDelay, logger);
        _store = new StoreSync(store, Stats, logger, time, changes => WholeState.AddTo(changes, _jails, _book));
        _readBack = firewall as IFirewallReadBack;
        _history = history;
        _evidence = evidence;
        _decisions = new BanDecisions(_jails, _book, _guard, new EngineSink(_firewall, _store.Changes, outbound), history, time, _options.Random, logger);
        _inbox = new Inbox(time, logger);
    }

    /// <summary>Engine-wide counters.</summary>
    public EngineStats Stats { get; } = new();

    /// <summary>The jails, in configuration order.</summary>
    public IReadOnlyList<Jail> Jails => _jails.All;

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
            var restore = new StateRestore(_jails, _book, _guard, _log);
            using var gauges = new EngineGauges(_jails.All, _sources, _firewall);
            var checkpoints = await restore.RestoreAsync(_store, _readBack, _history, _time.GetUtcNow(), cancellationToken);
            _checkpoints = checkpoints;
            await _firewall.ApplyAsync(cancellationToken);
            PublishStats();
            if (_firewall.OutOfSync)
            {
                // Not "restored into": nothing reached the firewall; FirewallSync retries and says so.
                Log.StartedOutOfSync(_log, _jails.All.Count, _sources.Count, _book.Count, _firewall.Name);
            }
            else
            {
                Log.Started(_log, _jails.All.Count, _sources.Count, _book.Count, _firewall.Name);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var workers = _sources.Select(s => _inbox.PumpAsync(s, checkpoints.GetValueOrDefault(s.Source.Id), stop.Token)).ToList();
            workers.Add(_inbox.TickAsync(_options.TickInterval, stop.Token));
            workers.Add(_firewall.WatchAsync(_inbox.WakeAsync, _options.TickInterval, stop.Token));

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
        _inbox.InvokeAsync<IReadOnlyList<Ban>>(_ => Task.FromResult<IReadOnlyList<Ban>>([.. _book.All.Select(b => Observes(b.Jail) ? b with { Observed = true } : b)]), cancellationToken);

    // A ban in the book is a "would ban" while its jail observes (the book does not keep the flag).
    private bool Observes(string jail) => _jails.TryGet(jail, out var running) && running.Policy.Observe;

    /// <summary>
    /// Bans <paramref name="target"/> in <paramref name="jail"/> on the loop (see
    /// <see cref="BanDecisions.BanAsync(string, System.Net.IPNetwork, TimeSpan?, Bans.BanOrigin, string?, CancellationToken)"/>); when it returns, the firewall and the store hold the ban.
    /// </summary>
    /// <param name="jail">The jail whose firewall set holds the ban.</param>
    /// <param name="target">An address or network; host bits are cleared.</param>
    /// <param name="duration">How long; <c>null</c> for the jail's (escalated) bantime, <see cref="BanDecisions.Permanent"/> for ever.</param>
    /// <param name="origin">Who asks: <see cref="BanOrigin.Manual"/> for an admin, <see cref="BanOrigin.Fleet"/> for another host.</param>
    /// <param name="cancellationToken">Cancels waiting for the loop; a command already running completes.</param>
    public Task<BanOutcome> BanAsync(string jail, IPNetwork target, TimeSpan? duration, BanOrigin origin, CancellationToken cancellationToken) =>
        BanAsync(jail, target, duration, origin, null, cancellationToken);

    /// <summary>Like <see cref="BanAsync(string, IPNetwork, TimeSpan?, BanOrigin, CancellationToken)"/>, recording who made the ban.</summary>
    /// <param name="jail">The jail whose firewall set holds the ban.</param>
    /// <param name="target">An address or network; host bits are cleared.</param>
    /// <param name="duration">How long; <c>null</c> for the jail's (escalated) bantime, <see cref="BanDecisions.Permanent"/> for ever.</param>
    /// <param name="origin">Who asks.</param>
    /// <param name="by">The admin or fleet host that asks (<see cref="Ban.By"/>).</param>
    /// <param name="cancellationToken">Cancels waiting for the loop; a command already running completes.</param>
    public Task<BanOutcome> BanAsync(string jail, IPNetwork target, TimeSpan? duration, BanOrigin origin, string? by, CancellationToken cancellationToken) =>
        _inbox.InvokeAsync(async ct =>
        {
            var outcome = await _decisions.BanAsync(jail, target, duration, origin, by, ct);
            await FlushAsync(ct);
            return outcome;
        }, cancellationToken);

    /// <summary>
    /// Lifts every ban, in any jail, whose target shares an address with <paramref name="target"/>
    /// (unbanning an address also lifts a prefix ban that covers it), and forgets its failures.
    /// </summary>
    /// <returns>The bans lifted; empty when none touched the target.</returns>
    public Task<IReadOnlyList<Ban>> UnbanAsync(IPNetwork target, CancellationToken cancellationToken) =>
        RunAndFlushAsync(
            () =>
            {
                // Lifted here by an admin: no noted fleet origin brings it back (FleetOrigins).
                _fleetOrigins.Forget(target);
                return _decisions.Unban(target);
            },
            cancellationToken);

    /// <summary>Lifts every ban in force.</summary>
    /// <returns>The bans lifted.</returns>
    public Task<IReadOnlyList<Ban>> UnbanAllAsync(CancellationToken cancellationToken) =>
        RunAndFlushAsync(
            () =>
            {
                _fleetOrigins.Clear();
                return _decisions.UnbanAll();
            },
            cancellationToken);

    /// <summary>
    /// Replaces a jail's resolved <c>ignoreip</c> host names (the host re-resolves them
    /// periodically). Bans of the jail that now cover an ignored address are lifted.
    /// </summary>
    public Task<IReadOnlyList<Ban>> SetResolvedIgnoreAsync(string jail, AddressSet addresses, CancellationToken cancellationToken) =>
        RunAndFlushAsync(() => _decisions.SetResolvedIgnore(jail, addresses), cancellationToken);

    /// <summary>
    /// Every recorded ban of <paramref name="target"/> (see <see cref="IEvidenceStore.BansOfAsync"/>)
    /// and its failures still counted, read on the loop after committing what is pending, so a
    /// ban just made is in it.
    /// </summary>
    /// <param name="target">An address or network.</param>
    /// <param name="limit">Most bans returned.</param>
    /// <param name="cancellationToken">Cancels waiting for the loop.</param>
    /// <exception cref="InvalidOperationException">The engine has no evidence store.</exception>
    /// <exception cref="StateStoreException">The store cannot be read.</exception>
    public Task<AddressReport> ShowAsync(IPNetwork target, int limit, CancellationToken cancellationToken)
    {
        var evidence = _evidence ?? throw new InvalidOperationException("this engine keeps no ban history");
        return _inbox.InvokeAsync(async ct =>
        {
            await FlushAsync(ct);
            var bans = await evidence.BansOfAsync(target, limit, ct);
            var failures = await evidence.FailuresOfAsync(target, ct);
            return new AddressReport(target, bans, failures);
        }, cancellationToken);
    }

    /// <summary>The bans that started at or after <paramref name="since"/> (newest first, at most <paramref name="limit"/>), with their evidence; a ban just made is in it.</summary>
    /// <param name="since">The start of the period.</param>
    /// <param name="limit">Most bans returned.</param>
    /// <param name="cancellationToken">Cancels waiting for the loop.</param>
    /// <exception cref="InvalidOperationException">The engine has no evidence store.</exception>
    /// <exception cref="StateStoreException">The store cannot be read.</exception>
    public Task<IReadOnlyList<PastBan>> HistoryAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var evidence = _evidence ?? throw new InvalidOperationException("this engine keeps no ban history");
        return _inbox.InvokeAsync(async ct =>
        {
            await FlushAsync(ct);
            return await evidence.BansSinceAsync(since, limit, ct);
        }, cancellationToken);
    }

    /// <summary>Counters of the engine and every jail, taken on the loop.</summary>
    public Task<EngineStatus> StatusAsync(CancellationToken cancellationToken) =>
        _inbox.InvokeAsync(_ =>
        {
            var inForce = _book.CountActive(_time.GetUtcNow());
            var jails = _jails.All.Select(j => new JailStatus(
                j.Name,
                inForce.GetValueOrDefault(j.Name),
                j.Tracker.Count,
                j.Stats.Failures,
                j.Stats.Bans,
                j.Stats.Ignored,
                j.Stats.Refused,
                j.Stats.Stale)
            {
                Sources = [.. _sources.Where(s => s.Jails.Contains(j)).Select(s => s.Source.Id)],
                Observe = j.Policy.Observe,
            }).ToList();
            return Task.FromResult(new EngineStatus(_firewall.Name, jails, inForce.Values.Sum(), Stats.Lines, Stats.Commits, Stats.FirewallErrors, Stats.StoreErrors)
            {
                Sources = [.. _sources.Select(s => new SourceStatus(s.Source.Id, s.Stats.Lines, s.Stats.Cut, s.Stats.LastLine) { Dropped = s.Source.Dropped, Lost = s.Stats.Lost })],
            });
        }, cancellationToken);

    private Task<IReadOnlyList<Ban>> RunAndFlushAsync(Func<IReadOnlyList<Ban>> change, CancellationToken cancellationToken) =>
        _inbox.InvokeAsync(async ct =>
        {
            var lifted = change();
            await FlushAsync(ct);
            return lifted;
        }, cancellationToken);

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
                    case Inbox.BatchMessage batch:
                        lines += Process(batch.Binding, batch.Batch);
                        batch.Done();
                        _firewall.LinesReadAt = batch.ReadAt;
                        await _decisions.DecideAsync(cancellationToken);
                        _firewall.LinesReadAt = 0;
                        break;
                    case Inbox.TickMessage:
                        await TickAsync(cancellationToken);
                        break;
                    case Inbox.CommandMessage command:
                        await Inbox.RunAsync(command, cancellationToken);
                        break;
                }
            }

            await FlushAsync(cancellationToken);
        }
    }

    private int Process(SourceBinding binding, LogBatch batch)
    {
        _decisions.Read(binding.Jails, batch.Lines, binding.Source.Id);
        Stats.AddLines(batch.Lines.Count);
        binding.Stats.Add(batch.Lines.Count, batch.Overlong, batch.Lost, _time.GetUtcNow());
        if (batch.Overlong > 0)
        {
            Stats.AddOverlong(batch.Overlong);
        }

        _store.Changes.Checkpoints.Add(new SourceCheckpoint(binding.Source.Id, batch.Checkpoint));
        return batch.Lines.Count;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _decisions.Expire();
        var now = _time.GetUtcNow();
        if (now >= _nextEviction)
        {
            Stats.AddEvicted(_decisions.Evict());
            var longest = _jails.All.Select(j => j.Policy.FindTime).DefaultIfEmpty(TimeSpan.Zero).Max();
            _store.Changes.PruneFailuresBefore = now - longest;
            _nextEviction = now + EvictionInterval;
        }

        if (_options.History is { } keep && now >= _nextPurge)
        {
            _store.Changes.PurgeHistoryBefore = now - keep;
            _nextPurge = now + PurgeInterval;
        }

        await _firewall.TickAsync(cancellationToken);
    }

    // Bans first (latency), then the one commit of the batch, then the jails' counters to the meter.
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _firewall.FlushAsync(cancellationToken);
        await _store.CommitAsync(cancellationToken);
        PublishStats();
    }

    private void PublishStats()
    {
        foreach (var jail in _jails.All)
        {
            jail.Stats.Publish(_book.CountOf(jail.Name));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Information, "Warden started: {Jails} jails, {Sources} sources, {Bans} bans restored into {Firewall}")]
        public static partial void Started(ILogger logger, int jails, int sources, int bans, string firewall);

        [LoggerMessage(1002, LogLevel.Warning, "Warden started: {Jails} jails, {Sources} sources; {Bans} bans NOT yet in {Firewall}, which failed (retrying)")]
        public static partial void StartedOutOfSync(ILogger logger, int jails, int sources, int bans, string firewall);

        [LoggerMessage(1001, LogLevel.Information, "Warden stopped after {Lines} lines with {Bans} bans in force")]
        public static partial void Stopped(ILogger logger, long lines, int bans);
    }
}
