using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Detections;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Replay;

/// <summary>
/// Runs jails over a log history with each line's own time as the clock, making the bans the
/// daemon would have made had it read those lines live: findtime, maxretry, bantime, escalation,
/// recidive, aggregation and the allowlist apply as in the engine (the same
/// <see cref="BanDecisions"/>), and an address banned at a line's time starts no new ban. Several
/// logs are merged by time, as the daemon would have read them side by side. Touches no firewall
/// and no store; memory holds one pending line per log plus what the jails track.
/// </summary>
public sealed class LogReplay
{
    // The engine evicts and expires on a timer; a replay does so each time its clock passes this much.
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<Jail> _jails;
    private readonly BanGuard _guard;
    private readonly ILogger _log;

    /// <summary>Creates a replay of <paramref name="jails"/>.</summary>
    /// <param name="jails">Fresh jails (nothing tracked yet), in configuration order.</param>
    /// <param name="allowlist">Addresses no ban may cover (the daemon's allowlist).</param>
    /// <param name="logger">Where the decisions log; <c>null</c> for nowhere.</param>
    public LogReplay(IReadOnlyList<Jail> jails, AddressSet? allowlist = null, ILogger? logger = null)
    {
        _jails = jails ?? throw new ArgumentNullException(nameof(jails));
        _guard = new BanGuard(allowlist ?? AddressSet.Empty);
        _log = logger ?? NullLogger.Instance;
    }

    /// <summary>Detections before this time are skipped (not counted); <c>null</c> replays everything.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>
    /// Replays <paramref name="inputs"/>; <paramref name="onBan"/> receives each ban as it is made,
    /// <paramref name="onProgress"/> the number of lines read so far, every 64 Ki lines.
    /// </summary>
    public async Task<ReplayResult> RunAsync(IReadOnlyList<ReplayInput> inputs, Action<Ban> onBan, Action<long>? onProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(onBan);
        var clock = new ReplayClock(DateTimeOffset.MinValue);
        var history = new MemoryHistory();
        var sink = new Sink(onBan, history);
        var decisions = new BanDecisions(new JailSet(_jails), new BanBook(), _guard, sink, history, clock, Random.Shared.NextDouble, _log);
        // Read-ahead threads when each jail reads one log (a filter is stateful, one thread each).
        var readAhead = Environment.ProcessorCount > 1
            && inputs.SelectMany(i => i.Jails.Distinct()).GroupBy(j => j).All(g => g.Count() == 1);
        var cursors = inputs.Select(i => new Cursor(i, Since, readAhead)).ToList();
        try
        {
            return await RunAsync(cursors, decisions, clock, onProgress, cancellationToken);
        }
        finally
        {
            foreach (var cursor in cursors)
            {
                cursor.Dispose();
            }
        }
    }

    private async Task<ReplayResult> RunAsync(List<Cursor> cursors, BanDecisions decisions, ReplayClock clock, Action<long>? onProgress, CancellationToken cancellationToken)
    {
        var queue = new PriorityQueue<Cursor, (DateTimeOffset, int)>();
        long read = 0;
        long reported = 0;
        bool Advance(Cursor cursor)
        {
            var before = cursor.Lines;
            var more = cursor.Advance();
            read += cursor.Lines - before;
            if (onProgress is not null && read - reported >= 65_536)
            {
                reported = read;
                onProgress(read);
            }

            return more;
        }

        for (var i = 0; i < cursors.Count; i++)
        {
            if (Advance(cursors[i]))
            {
                queue.Enqueue(cursors[i], (cursors[i].Time, i));
            }
        }

        var nextTick = DateTimeOffset.MinValue;
        while (queue.TryDequeue(out var cursor, out var key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Advance(cursor.Time);
            var now = clock.GetUtcNow();
            if (now >= nextTick)
            {
                decisions.Expire();
                decisions.Evict();
                nextTick = now + TickInterval;
            }

            foreach (var (jail, detection) in cursor.Pending)
            {
                decisions.Count(jail, detection, cursor.Input.Name);
            }

            await decisions.DecideAsync(cancellationToken);
            if (Advance(cursor))
            {
                queue.Enqueue(cursor, (cursor.Time, key.Item2));
            }
        }

        onProgress?.Invoke(read);
        return new ReplayResult(
            [.. _jails.Select(j => new ReplayJailSummary(j.Name, j.Stats.Failures, j.Stats.Bans, j.Stats.Ignored, j.Stats.Refused))],
            [.. cursors.Select(c => new ReplayLogSummary(c.Input.Name, c.Lines))]);
    }

    /// <summary>
    /// One log's reading position: the next line that any of its jails' filters matched. With
    /// read-ahead, a worker thread reads and filters the log (the bulk of a replay's work) while
    /// the caller's thread decides, in batches through a bounded queue; allowed only when no jail
    /// of this log reads another one, since a filter is stateful and must see one thread.
    /// </summary>
    private sealed class Cursor : IDisposable
    {
        private const int BatchSize = 512;
        private readonly ReplayInput _input;
        private readonly DateTimeOffset? _since;
        private readonly IEnumerator<string> _lines;
        private readonly List<Detection> _found = [];
        private readonly System.Collections.Concurrent.BlockingCollection<List<Hit>>? _ahead;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task? _worker;
        private List<Hit>? _batch;
        private int _next;
        private long _read;

        public Cursor(ReplayInput input, DateTimeOffset? since, bool readAhead)
        {
            _input = input;
            _since = since;
            _lines = input.Lines.GetEnumerator();
            if (readAhead)
            {
                _ahead = new(boundedCapacity: 8);
                _worker = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
        }

        public ReplayInput Input => _input;

        public long Lines { get; private set; }

        public List<(Jail Jail, Detection Detection)> Pending { get; private set; } = [];

        public DateTimeOffset Time { get; private set; }

        /// <summary>Reads on to the next line with a detection; false at the end of the log.</summary>
        public bool Advance()
        {
            if (_ahead is null)
            {
                var hit = Next(out var lines);
                Lines = lines;
                return Take(hit);
            }

            while (_batch is null || _next >= _batch.Count)
            {
                if (!_ahead.TryTake(out _batch, Timeout.Infinite))
                {
                    // The worker is done: its failure, if any, is the replay's.
                    _worker!.GetAwaiter().GetResult();
                    Pending = [];
                    return false;
                }

                _next = 0;
            }

            var item = _batch[_next++];
            Lines = item.Lines;
            return Take(item.Pending is null ? null : item);
        }

        public void Dispose()
        {
            _stop.Cancel();
            if (_ahead is not null)
            {
                // Let a worker blocked on a full queue finish.
                while (_ahead.TryTake(out _))
                {
                }

                try
                {
                    _worker!.Wait();
                }
                catch (AggregateException)
                {
                    // Its failure was reported by Advance, or the replay was cancelled.
                }

                _ahead.Dispose();
            }

            _lines.Dispose();
            _stop.Dispose();
        }

        private bool Take(Hit? hit)
        {
            if (hit is not { Pending: { } pending })
            {
                Pending = [];
                return false;
            }

            Pending = pending;
            Time = hit.Value.Time;
            return true;
        }

        // The next line with a detection (Pending null at the end), and the lines read up to it.
        private Hit? Next(out long lines)
        {
            var read = _read;
            while (_lines.MoveNext())
            {
                read++;
                List<(Jail, Detection)>? pending = null;
                foreach (var jail in _input.Jails)
                {
                    _found.Clear();
                    jail.Filter.Process(_lines.Current, _found);
                    foreach (var detection in _found)
                    {
                        if (_since is null || detection.Time >= _since)
                        {
                            (pending ??= []).Add((jail, detection));
                        }
                    }
                }

                if (pending is not null)
                {
                    _read = read;
                    lines = read;
                    var time = pending[0].Item2.Time;
                    for (var i = 1; i < pending.Count; i++)
                    {
                        time = pending[i].Item2.Time < time ? pending[i].Item2.Time : time;
                    }

                    return new Hit(time, pending, read);
                }
            }

            _read = read;
            lines = read;
            return null;
        }

        private void Produce()
        {
            try
            {
                var batch = new List<Hit>(BatchSize);
                while (!_stop.IsCancellationRequested)
                {
                    var hit = Next(out var lines);
                    batch.Add(hit ?? new Hit(default, null, lines));
                    if (hit is null || batch.Count == BatchSize)
                    {
                        _ahead!.Add(batch, _stop.Token);
                        batch = new List<Hit>(BatchSize);
                    }

                    if (hit is null)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            finally
            {
                _ahead!.CompleteAdding();
            }
        }

        private readonly record struct Hit(DateTimeOffset Time, List<(Jail Jail, Detection Detection)>? Pending, long Lines);
    }

    /// <summary>Hands bans to the observer and keeps them as the history escalation reads.</summary>
    private sealed class Sink(Action<Ban> onBan, MemoryHistory history) : IDecisionSink
    {
        public void Counted(StoredFailure failure)
        {
        }

        public void Settled(string jail, string id)
        {
        }

        public void Imposed(Ban ban)
        {
            history.Add(ban);
            onBan(ban);
        }

        public void Lifted(Ban ban, DateTimeOffset at) => history.End(ban, at);

        public void Expired(IReadOnlyList<Ban> bans)
        {
        }
    }

    /// <summary>Earlier bans of each target, newest first, as the store would return them.</summary>
    private sealed class MemoryHistory : IBanHistory
    {
        private readonly Dictionary<IPNetwork, List<PastBan>> _byTarget = [];

        public void Add(Ban ban)
        {
            if (!_byTarget.TryGetValue(ban.Target, out var list))
            {
                list = [];
                _byTarget[ban.Target] = list;
            }

            list.Add(new PastBan(ban, ban.Expires));
        }

        public void End(Ban ban, DateTimeOffset at)
        {
            if (_byTarget.TryGetValue(ban.Target, out var list))
            {
                var i = list.FindLastIndex(p => p.Ban == ban);
                if (i >= 0 && (ban.Expires is null || at < ban.Expires))
                {
                    list[i] = list[i] with { Ended = at };
                }
            }
        }

        public Task<IReadOnlyList<PastBan>> HistoryAsync(IPNetwork target, int limit, CancellationToken cancellationToken)
        {
            IReadOnlyList<PastBan> found = _byTarget.TryGetValue(target, out var list)
                ? [.. Enumerable.Reverse(list).Take(limit)]
                : [];
            return Task.FromResult(found);
        }
    }
}
