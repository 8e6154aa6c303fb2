using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Detection;
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
    // Trackers evicted in one pass beyond which their memory is handed back at once.
    private const int LargeEviction = 100_000;

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
            var checkpoints = await RestoreAsync(cancellationToken);
            await ApplyWholeStateAsync(cancellationToken);
            Log.Started(_log, _jails.Count, _sources.Count, _book.Count, _firewall.Name);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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
            if (!reader.TryPeek(out _))
            {
                // Nothing waiting: the end of a burst, or a pause in it.
                await CompactAfterBurstAsync();
            }
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

        if (jail.Scan is { } scan)
        {
            CountScan(jail, scan, address, detection);
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

    // A port-scan jail counts distinct destinations, not failures. Its packets are not stored as
    // failures: a scan lasts seconds, and a row per logged packet would flood the store.
    private void CountScan(Jail jail, PortScanDetector scan, IPAddress address, Detection.Detection detection)
    {
        jail.Stats.AddFailure();
        var distinct = scan.Add(address, detection.Destination, detection.DestinationPort, detection.Time);
        if (distinct > 0)
        {
            Log.ScanFound(_log, jail.Name, address, distinct);
            _candidates.Add(new BanCandidate(jail, address, distinct, detection, []));
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

        // The log lines and captures stay with the ban only for a jail whose command actions use them.
        _book.Put(ban, keepDetails: jail.Policy.MaxMatches > 0);
        _pending.Ban(ban);
        _changes.Bans.Add(ban);
        jail.Stats.AddBan();
        _bansSinceCompaction++;
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

        await CompactBurstTailAsync();
        if (now >= _nextEviction)
        {
            var longest = TimeSpan.Zero;
            var evicted = 0;
            foreach (var jail in _jails)
            {
                evicted += jail.Tracker.Evict(now);
                evicted += jail.Scan?.Evict(now) ?? 0;
                jail.Aggregator?.Evict(now);
                longest = jail.Policy.FindTime > longest ? jail.Policy.FindTime : longest;
            }

            if (evicted >= LargeEviction)
            {
                // A flood's trackers are gone; an idle daemon would otherwise hold the memory
                // they took (hundreds of MB for a million addresses) until the next busy spell.
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
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
}
