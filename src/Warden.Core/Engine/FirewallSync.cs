using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Metrics;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// Keeps the firewall holding what the book holds: queues each change for the next flush, and
/// when the firewall fails or drifts (someone else changed its objects) applies the whole
/// desired state again, backing off between failed attempts. While it is out of sync, changes
/// are not sent one by one: the next whole-state apply carries them. Not thread-safe: called
/// from the engine loop; only <see cref="WatchAsync"/> runs beside it.
/// </summary>
internal sealed partial class FirewallSync
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    // How often the kernel's drop counters are read for the metrics (a listing of the rules only).
    private static readonly TimeSpan CountersInterval = TimeSpan.FromSeconds(5);

    private static readonly Counter<long> AppliesInstrument = CoreMeter.Meter.CreateCounter<long>("firewall_applies", "{apply}", "Whole-state applies that succeeded (start, recovery, drift repair)");
    private static readonly Counter<long> ErrorsInstrument = CoreMeter.Meter.CreateCounter<long>("firewall_errors", "{error}", "Firewall calls that failed");
    private static readonly Counter<long> DriftInstrument = CoreMeter.Meter.CreateCounter<long>("firewall_drift_repairs", "{repair}", "Whole-state applies after someone else changed the firewall's objects");
    private static readonly Histogram<double> ApplyDuration = CoreMeter.SecondsHistogram("firewall_apply_duration_seconds", "Duration of firewall calls: op=state for a whole-state apply, op=changes for a flush of new bans and lifts");
    private static readonly Histogram<double> BanLatency = CoreMeter.SecondsHistogram("ban_latency_seconds", "From reading the line that completed a ban to the firewall holding the ban");

    private readonly IFirewall _firewall;
    private readonly IFirewallMonitor? _monitor;
    private readonly JailSet _jails;
    private readonly BanBook _book;
    private readonly FirewallQueue _pending = new();
    private readonly EngineStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TimeSpan _maxRetryDelay;
    private bool _outOfSync;
    private bool _exceptionLogged;
    private DateTimeOffset _retryAt;
    private TimeSpan _retryDelay = FirstRetryDelay;
    private readonly KeyValuePair<string, object?> _firewallTag;
    private readonly IFirewallCounters? _counters;
    private DateTimeOffset _nextCounters;
    private IReadOnlyList<JailDrops> _drops = [];

    /// <param name="firewall">The backend.</param>
    /// <param name="monitor">Its drift check, when it has one; <c>null</c> when only failures trigger a whole-state apply.</param>
    /// <param name="jails">The jails whose objects the backend holds.</param>
    /// <param name="book">The desired bans.</param>
    /// <param name="stats">Counts errors and bans applied.</param>
    /// <param name="time">The clock of the retry backoff.</param>
    /// <param name="maxRetryDelay">Longest wait between attempts.</param>
    /// <param name="logger">Where failures and repairs are logged.</param>
    public FirewallSync(IFirewall firewall, IFirewallMonitor? monitor, JailSet jails, BanBook book, EngineStats stats, TimeProvider time, TimeSpan maxRetryDelay, ILogger logger)
    {
        _firewall = firewall;
        _monitor = monitor;
        _jails = jails;
        _book = book;
        _stats = stats;
        _time = time;
        _maxRetryDelay = maxRetryDelay;
        _log = logger;
        _firewallTag = new("firewall", firewall.Name);
        _counters = firewall as IFirewallCounters;

        // Error and repair series at 0 from the start, so an alert on increase() sees the first one.
        ErrorsInstrument.Add(0, _firewallTag);
        DriftInstrument.Add(0, _firewallTag);
    }

    /// <summary>The backend's name, for logs and status.</summary>
    public string Name => _firewall.Name;

    /// <summary>True while the last attempt failed and the whole state waits to be applied again.</summary>
    public bool OutOfSync => _outOfSync;

    /// <summary>
    /// When the lines being decided were read (a <see cref="TimeProvider.GetTimestamp"/> value);
    /// 0 outside a batch. Bans queued meanwhile carry it, for <c>ban_latency_seconds</c>.
    /// </summary>
    public long LinesReadAt { get; set; }

    /// <summary>
    /// The drop counters of the backend's rules as last read (every few seconds, by
    /// <see cref="TickAsync"/>); empty when the backend keeps none. Safe to read from any thread.
    /// </summary>
    public IReadOnlyList<JailDrops> Drops => Volatile.Read(ref _drops);

    /// <summary>Queues a new ban for the next flush; an observing jail's ban is not sent.</summary>
    public void Ban(Ban ban)
    {
        if (Enforces(ban.Jail))
        {
            _pending.Ban(ban, ban.Origin is BanOrigin.Jail or BanOrigin.Prefix ? LinesReadAt : 0);
        }
    }

    /// <summary>Queues a lifted ban for the next flush; an observing jail's ban was never sent.</summary>
    public void Unban(Ban ban)
    {
        if (Enforces(ban.Jail))
        {
            _pending.Unban(ban);
        }
    }

    /// <summary>Queues the removal of expired bans, unless the kernel expires them by itself.</summary>
    public void Expired(IReadOnlyList<Ban> bans)
    {
        if (_firewall.ExpiresBans)
        {
            return;
        }

        foreach (var ban in bans)
        {
            Unban(ban);
        }
    }

    // Observing jails (observe = true, [warden] mode = shadow) have no firewall objects and send no bans.
    private bool Enforces(string jail) => _jails.TryGet(jail, out var running) && !running.Policy.Observe;

    /// <summary>Sends the queued changes; a failure marks the firewall out of sync (retried whole by <see cref="TickAsync"/>).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        if (!_outOfSync)
        {
            try
            {
                var started = _time.GetTimestamp();
                await _pending.SendAsync(_firewall, cancellationToken);
                ApplyDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _firewallTag, new("op", "changes"));
                foreach (var (ban, readAt) in _pending.LineBans)
                {
                    BanLatency.Record(_time.GetElapsedTime(readAt).TotalSeconds, new KeyValuePair<string, object?>("jail", ban.Jail));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(ex);
            }
        }

        _pending.Clear();
    }

    /// <summary>Makes the backend hold exactly the jails' objects and the book's bans, in one apply.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The bans are made from the book for this call only; they are garbage once it returns.
            var jails = _jails.All.Where(j => !j.Policy.Observe).ToList();
            IReadOnlyCollection<Ban> bans = jails.Count == _jails.All.Count ? [.. _book.All] : [.. _book.All.Where(b => Enforces(b.Jail))];
            var started = _time.GetTimestamp();
            await _firewall.ApplyStateAsync([.. jails.Select(j => FirewallJail.From(j.Policy))], bans, cancellationToken);
            ApplyDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _firewallTag, new("op", "state"));
            AppliesInstrument.Add(1, _firewallTag);
            _stats.AddBansApplied(bans.Count);
            if (_outOfSync)
            {
                Log.FirewallRecovered(_log, _firewall.Name, _book.Count);
            }

            _outOfSync = false;
            _exceptionLogged = false;
            _retryDelay = FirstRetryDelay;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(ex);
        }
    }

    /// <summary>
    /// Once per tick: retries the whole state when out of sync and the backoff has passed;
    /// otherwise asks the monitor whether someone else changed the backend's objects (a firewall
    /// reload, <c>nft flush ruleset</c>, Docker rewriting its chains) and, if so, applies the whole
    /// state again. Every few seconds it also reads the backend's drop counters (<see cref="Drops"/>).
    /// </summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_outOfSync)
        {
            if (_time.GetUtcNow() >= _retryAt)
            {
                await ApplyAsync(cancellationToken);
            }

            return;
        }

        if (_monitor is null)
        {
            await ReadCountersAsync(cancellationToken);
            return;
        }

        string? drift;
        try
        {
            drift = await _monitor.CheckAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(ex);
            return;
        }

        if (drift is not null)
        {
            Log.FirewallDrift(_log, _firewall.Name, drift);
            DriftInstrument.Add(1, _firewallTag);
            await ApplyAsync(cancellationToken);
        }

        await ReadCountersAsync(cancellationToken);
    }

    // A failed read keeps the last counts and says so; it is no reason to apply the state again.
    private async Task ReadCountersAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_counters is null || now < _nextCounters)
        {
            return;
        }

        _nextCounters = now + CountersInterval;
        try
        {
            Volatile.Write(ref _drops, await _counters.ReadDropsAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CountersFailed(_log, _firewall.Name, ex.Message);
        }
    }

    /// <summary>
    /// Until cancelled, calls <paramref name="wake"/> whenever the monitor sees a sign of drift, so
    /// the next tick's check comes at once instead of up to a tick later. Returns at once without a monitor.
    /// </summary>
    /// <param name="wake">Asks the loop for a tick.</param>
    /// <param name="retryDelay">The wait after the watch itself failed.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    public async Task WatchAsync(Func<CancellationToken, ValueTask> wake, TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        if (_monitor is null)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _monitor.WhenChangedAsync(cancellationToken);
                await wake(cancellationToken);
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
                    await Task.Delay(retryDelay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Failed(Exception ex)
    {
        _stats.AddFirewallError();
        ErrorsInstrument.Add(1, _firewallTag);
        // One line per failed attempt; the exception with its stack once per episode, not once
        // per retry (a backend that cannot load would otherwise fill the log every second).
        if (_exceptionLogged)
        {
            Log.FirewallStillFailing(_log, _firewall.Name, ex.Message, _retryDelay);
        }
        else
        {
            Log.FirewallFailed(_log, _firewall.Name, ex.Message, _retryDelay, ex);
            _exceptionLogged = true;
        }

        _outOfSync = true;
        _retryAt = _time.GetUtcNow() + _retryDelay;
        _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _maxRetryDelay.Ticks));
    }

    private static partial class Log
    {
        [LoggerMessage(1030, LogLevel.Error, "Firewall {Firewall} failed: {Error}; the whole state is applied again in {Delay}")]
        public static partial void FirewallFailed(ILogger logger, string firewall, string error, TimeSpan delay, Exception exception);

        [LoggerMessage(1034, LogLevel.Error, "Firewall {Firewall} still failing: {Error}; next attempt in {Delay}")]
        public static partial void FirewallStillFailing(ILogger logger, string firewall, string error, TimeSpan delay);

        [LoggerMessage(1031, LogLevel.Information, "Firewall {Firewall} is back in sync with {Bans} bans")]
        public static partial void FirewallRecovered(ILogger logger, string firewall, int bans);

        [LoggerMessage(1032, LogLevel.Warning, "Firewall {Firewall} drifted ({Drift}); applying the whole state again")]
        public static partial void FirewallDrift(ILogger logger, string firewall, string drift);

        [LoggerMessage(1035, LogLevel.Warning, "Reading the drop counters of firewall {Firewall} failed: {Error}; the metrics keep the last counts")]
        public static partial void CountersFailed(ILogger logger, string firewall, string error);

        [LoggerMessage(1033, LogLevel.Warning, "Watching firewall {Firewall} for changes failed; relying on the tick")]
        public static partial void FirewallWatchFailed(ILogger logger, string firewall, Exception exception);
    }
}
