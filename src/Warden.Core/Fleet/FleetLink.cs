using Microsoft.Extensions.Logging;
using Warden.Core.Engine;
using Warden.Core.Ports;

namespace Warden.Core.Fleet;

/// <summary>
/// The fleet loop of one engine: reads the bus and feeds what the policy accepts to the engine
/// (cursor committed with the bans), publishes the <see cref="FleetOutbox"/> signed, and queues
/// this node's bans in force again every <see cref="FleetLinkOptions.Republish"/> (at start too:
/// the outbox is memory, so what waited when the node stopped is sent again that way).
/// </summary>
/// <remarks>
/// Local-first: a bus that fails is logged once when it starts failing and once when it answers
/// again, and retried; the engine never waits for it and nothing is flushed because of it. Remote
/// bans stay until their own expiry (the kernel's timeouts), own decisions wait in the outbox.
/// One link per engine; <see cref="Status"/> may be called from any thread.
/// </remarks>
public sealed partial class FleetLink
{
    private readonly BanEngine _engine;
    private readonly IFleetBus _bus;
    private readonly FleetSigner _signer;
    private readonly PeerKeys _peers;
    private readonly FleetStats _stats;
    private readonly FleetOutbox _outbox;
    private readonly FleetReceiver _receiver;
    private readonly FleetLinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private int _failing;
    private long _failures;
    private long _lagTicks = -1;
    private long _lastReadTicks = -1;

    /// <summary>Creates the link; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="engine">The engine that applies remote bans and makes own ones.</param>
    /// <param name="bus">The fleet's log.</param>
    /// <param name="signer">This node's key (not owned: it outlives reloads, so sequence numbers keep growing).</param>
    /// <param name="peers">The trusted nodes' keys (not owned).</param>
    /// <param name="policy">The receiving policy.</param>
    /// <param name="stats">The counters (shared across reloads).</param>
    /// <param name="outbox">Own decisions to publish; the engine's outbound sink.</param>
    /// <param name="options">Pacing.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where failures are logged.</param>
    public FleetLink(BanEngine engine, IFleetBus bus, FleetSigner signer, PeerKeys peers, FleetPolicyOptions policy, FleetStats stats, FleetOutbox outbox, FleetLinkOptions options, TimeProvider time, ILogger logger)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _peers = peers ?? throw new ArgumentNullException(nameof(peers));
        _stats = stats ?? throw new ArgumentNullException(nameof(stats));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = logger ?? throw new ArgumentNullException(nameof(logger));
        _receiver = new FleetReceiver(new FleetPolicy(policy, peers, stats));
    }

    /// <summary>The fleet as it stands now.</summary>
    public FleetStatus Status()
    {
        var lag = Interlocked.Read(ref _lagTicks);
        var read = Interlocked.Read(ref _lastReadTicks);
        var heard = _stats.LastHeard;
        return new FleetStatus(
            _signer.Node,
            _bus.IsConnected && Volatile.Read(ref _failing) == 0,
            lag < 0 ? null : TimeSpan.FromTicks(lag).TotalSeconds,
            read < 0 ? null : new DateTimeOffset(read, TimeSpan.Zero),
            _outbox.Count,
            _stats.Published,
            _stats.Applied,
            _stats.Rejected,
            [.. Enum.GetValues<FleetDrop>().Select(d => new FleetDropCount(d.ToString(), _stats.Dropped(d))).Where(d => d.Count > 0)],
            [.. _peers.Names.Where(n => n != _signer.Node).Order(StringComparer.Ordinal).Select(n => new FleetPeerStatus(n, heard.TryGetValue(n, out var at) ? at : null))]);
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, starting once the engine has; returns normally then.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _engine.Started.WaitAsync(cancellationToken);
            await Task.WhenAll(ReadLoopAsync(cancellationToken), PublishLoopAsync(cancellationToken), RepublishLoopAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var cursor = FleetCursor.Parse(await _engine.CheckpointAsync(FleetCursor.SourceId, cancellationToken));
        _receiver.Policy.Restore(cursor.Watermarks);
        var position = cursor.Position;
        var resync = position is null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resync)
                {
                    var snapshot = await _bus.SnapshotAsync(cancellationToken);
                    Succeeded();
                    Interlocked.Exchange(ref _lastReadTicks, _time.GetUtcNow().UtcTicks);
                    position = snapshot.Position;
                    await ApplyAsync(_receiver.JudgeSnapshot(snapshot.Entries, _time.GetUtcNow()), position, cancellationToken);
                    Log.Resynced(_log, snapshot.Entries.Count);
                    resync = false;
                    continue;
                }

                var read = await _bus.ReadAsync(position, _options.Batch, cancellationToken);
                Succeeded();
                Interlocked.Exchange(ref _lastReadTicks, _time.GetUtcNow().UtcTicks);
                if (read.Gap)
                {
                    Log.Gap(_log);
                    resync = true;
                    continue;
                }

                if (read.Entries.Count > 0)
                {
                    position = read.Position;
                    await ApplyAsync(_receiver.Judge(read.Entries, _time.GetUtcNow()), position, cancellationToken);
                }

                if (read.Entries.Count < _options.Batch)
                {
                    await _bus.WaitAsync(_options.Poll, cancellationToken);
                }
            }
            catch (FleetBusException ex)
            {
                Failed(ex);
                await Task.Delay(_options.Retry, _time, cancellationToken);
            }
        }
    }

    private async Task ApplyAsync(IReadOnlyList<FleetVerdict> verdicts, string? position, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (verdicts.Count > 0 && verdicts[^1].Entry is { } last)
        {
            Interlocked.Exchange(ref _lagTicks, Math.Max(0, (now - last.Decision.Issued).Ticks));
        }

        var cursor = new FleetCursor(position, new Dictionary<string, long>(_receiver.Policy.Watermarks, StringComparer.Ordinal));
        await _engine.ApplyFleetAsync(verdicts, cursor, _stats, cancellationToken);
    }

    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        List<FleetEntry>? pending = null;
        try
        {
            while (true)
            {
                if (pending is null)
                {
                    await _outbox.WaitAsync(cancellationToken);
                    var taken = _outbox.Take(_options.Batch);
                    if (taken.Count == 0)
                    {
                        continue;
                    }

                    var now = _time.GetUtcNow();
                    pending = [.. taken.Select(d => _signer.Sign(d with { Sequence = _signer.NextSequence(now) }))];
                }

                try
                {
                    // The same entries again after a failure: the bus writes all or nothing, and
                    // a copy that did reach it is dropped by receivers as a replay.
                    await _bus.PublishAsync(pending, cancellationToken);
                    _stats.AddPublished(pending.Count);
                    _outbox.Sent(pending.Count);
                    pending = null;
                    Succeeded();
                }
                catch (FleetBusException ex)
                {
                    Failed(ex);
                    await Task.Delay(_options.Retry, _time, cancellationToken);
                }
            }
        }
        finally
        {
            if (pending is not null)
            {
                // Stopping (or reloading) with entries unsent: they wait for the next link.
                _outbox.Return([.. pending.Select(e => e.Decision)]);
            }
        }
    }

    private async Task RepublishLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Republish, _time);
        do
        {
            var bans = await _engine.ListBansAsync(cancellationToken);
            var queued = _outbox.Republish(bans, _time.GetUtcNow());
            Log.Republished(_log, queued);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private void Succeeded()
    {
        if (Interlocked.Exchange(ref _failing, 0) == 1)
        {
            Log.Recovered(_log, Interlocked.Exchange(ref _failures, 0), _outbox.Count);
        }
    }

    private void Failed(FleetBusException ex)
    {
        Interlocked.Increment(ref _failures);
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            Log.Failing(_log, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1200, LogLevel.Warning, "Fleet bus unreachable: {Error}; banning goes on locally, own decisions are queued and remote bans kept until they expire (retrying)")]
        public static partial void Failing(ILogger logger, string error);

        [LoggerMessage(1201, LogLevel.Information, "Fleet bus reachable again after {Failures} failed attempts; publishing {Queued} queued decisions")]
        public static partial void Recovered(ILogger logger, long failures, int queued);

        [LoggerMessage(1202, LogLevel.Information, "Fleet log lost entries past this node's position (trimmed or wiped); resyncing from the snapshot")]
        public static partial void Gap(ILogger logger);

        [LoggerMessage(1203, LogLevel.Information, "Fleet snapshot read: {Entries} decisions in force")]
        public static partial void Resynced(ILogger logger, int entries);

        [LoggerMessage(1204, LogLevel.Debug, "Fleet anti-entropy: {Bans} own bans in force queued again")]
        public static partial void Republished(ILogger logger, int bans);
    }
}
