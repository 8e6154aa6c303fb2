using System.Globalization;
using StackExchange.Redis;
using Warden.Core.Fleet;
using Warden.Core.Ports;

namespace Warden.Fleet.Redis;

/// <summary>
/// The fleet bus on a Redis 7 stream: each decision an entry of plain-text fields (XADD,
/// trimmed with MINID to the retention, the longest ban), a hash of the decisions in force (the
/// snapshot, one field per origin, jail and target) and a pub/sub channel that only wakes
/// readers. See <see cref="Scripts"/> for why each step is one script.
/// </summary>
/// <remarks>
/// Positions are <c>EPOCH/ID</c>: the stream id read up to, and the epoch of the data it belongs
/// to. StackExchange.Redis multiplexes one connection and cannot block on XREAD, so readers poll
/// with XRANGE when woken by the channel or after a timeout. Thread-safe: one publisher and one
/// reader may call at once.
/// </remarks>
public sealed partial class RedisFleetBus : IFleetBus, IAsyncDisposable
{
    private const int PublishBatch = 200;

    private readonly RedisFleetOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisKey[] _keys;
    private readonly RedisChannel _wake;
    private readonly ConnectionMultiplexer _redis;
    private readonly SemaphoreSlim _woken = new(0, 1);

    private RedisFleetBus(RedisFleetOptions options, TimeProvider time, ConnectionMultiplexer redis)
    {
        _options = options;
        _time = time;
        _redis = redis;
        _keys = [options.Keys, options.Keys + ":snapshot", options.Keys + ":epoch", options.Keys + ":wake"];
        _wake = RedisChannel.Literal(options.Keys + ":wake");
    }

    /// <inheritdoc />
    public bool IsConnected => _redis.IsConnected;

    /// <summary>
    /// Starts connecting. Returns without waiting for Redis: an unreachable Redis is retried in
    /// the background and every call fails with <see cref="FleetBusException"/> until it answers.
    /// </summary>
    public static async Task<RedisFleetBus> ConnectAsync(RedisFleetOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var config = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ClientName = "warden-" + options.Node,
            User = options.User,
            Password = options.Password,
            Ssl = options.Url.Scheme == "rediss",
            SslHost = options.Url.Scheme == "rediss" ? options.Url.IdnHost : null,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            SyncTimeout = 5000,
            AsyncTimeout = 5000,
            ReconnectRetryPolicy = new LinearRetry(1000),
            KeepAlive = 5,
        };
        config.EndPoints.Add(options.Url.IdnHost, RedisUrl.Port(options.Url));
        var redis = await ConnectionMultiplexer.ConnectAsync(config);
        var bus = new RedisFleetBus(options, time, redis);

        // The library resubscribes by itself after a reconnect.
        await redis.GetSubscriber().SubscribeAsync(bus._wake, (_, _) => bus.Wake());
        return bus;
    }

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<FleetEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var minId = (_time.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "-0";
        for (var start = 0; start < entries.Count; start += PublishBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = entries.Skip(start).Take(PublishBatch).ToList();
            var args = new List<RedisValue>(3 + (batch.Count * 24)) { minId, Guid.NewGuid().ToString("N"), batch.Count };
            foreach (var entry in batch)
            {
                var fields = entry.WireFields.ToList();
                args.Add(entry.Decision.Kind == DecisionKind.Ban ? "ban" : "unban");
                args.Add(entry.SnapshotKey);
                args.Add(DecisionText.ToLines(entry));
                args.Add(fields.Count);
                foreach (var (name, value) in fields)
                {
                    args.Add(name);
                    args.Add(value);
                }
            }

            await RunAsync("publish", Scripts.Publish, [.. args]);
        }
    }

    /// <inheritdoc />
    public async Task<FleetRead> ReadAsync(string? position, int max, CancellationToken cancellationToken)
    {
        var (epoch, after) = ParsePosition(position);
        var start = after is { } id ? "(" + id : "-";
        var result = (RedisResult[])(await RunAsync("read", Scripts.Read, [start, max]))!;
        var currentEpoch = (string?)result[0];
        var first = StreamId.Parse((string)result[1]!);
        var lastGenerated = StreamId.Parse((string)result[2]!);
        var deleted = StreamId.Parse((string)result[3]!);

        // Lost data (a new epoch, or none) or entries gone past the position: the caller resyncs.
        // Trimming removes from the head, so while the entry at the position is still held nothing
        // after it was trimmed; once it is gone (first above it, or an empty stream that has
        // generated ids above it) later ones may be too, and the resync is the safe answer.
        if (position is not null && (currentEpoch != epoch || (after is { } seen
            && (deleted > seen || (first == StreamId.Zero ? lastGenerated > seen : first > seen)))))
        {
            return new FleetRead([], position, Gap: true);
        }

        var entries = new List<FleetRawEntry>();
        foreach (var item in (RedisResult[])result[4]!)
        {
            var pair = (RedisResult[])item!;
            var values = (RedisResult[])pair[1]!;
            var fields = new List<KeyValuePair<string, string>>(values.Length / 2);
            for (var i = 0; i + 1 < values.Length; i += 2)
            {
                fields.Add(new((string?)values[i] ?? "", (string?)values[i + 1] ?? ""));
            }

            entries.Add(new FleetRawEntry((string)pair[0]!, fields));
        }

        var last = entries.Count > 0 ? StreamId.Parse(entries[^1].Id) : after;
        return new FleetRead(entries, currentEpoch is null ? null : Position(currentEpoch, last), Gap: false);
    }

    /// <inheritdoc />
    public async Task<FleetSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await RunAsync("snapshot", Scripts.Snapshot, []))!;
        var epoch = (string?)result[0];
        var last = (string?)result[1] is { } id ? StreamId.Parse(id) : (StreamId?)null;
        var hash = (RedisResult[])result[2]!;
        var entries = new List<string>(hash.Length / 2);
        for (var i = 1; i < hash.Length; i += 2)
        {
            entries.Add((string?)hash[i] ?? "");
        }

        return new FleetSnapshot(entries, epoch is null ? null : Position(epoch, last ?? StreamId.Zero));
    }

    /// <inheritdoc />
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _woken.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        _woken.Dispose();
    }

    private void Wake()
    {
        lock (_woken)
        {
            if (_woken.CurrentCount == 0)
            {
                _woken.Release();
            }
        }
    }

    private async Task<RedisResult> RunAsync(string what, string script, RedisValue[] args)
    {
        try
        {
            return await _redis.GetDatabase().ScriptEvaluateAsync(script, _keys, args);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new FleetBusException($"fleet {what} on {_options.Url.Scheme}://{_options.Url.Authority} failed: {ex.Message}", ex);
        }
    }

    private static string Position(string epoch, StreamId? id) => $"{epoch}/{id ?? StreamId.Zero}";

    private static (string? Epoch, StreamId? After) ParsePosition(string? position)
    {
        if (position is null)
        {
            return (null, null);
        }

        var slash = position.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new FormatException($"not a fleet position (EPOCH/ID): '{position}'");
        }

        var id = StreamId.Parse(position[(slash + 1)..]);
        return (position[..slash], id == StreamId.Zero ? null : id);
    }
}
