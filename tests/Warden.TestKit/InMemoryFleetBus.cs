using System.Globalization;
using System.Threading.Channels;
using Warden.Core.Fleet;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>
/// A fleet bus in memory for Core's tests (the real one, Redis, has its own tests against a real
/// redis-server): a log of raw entries with ids 1, 2, ..., a snapshot of the decisions in force,
/// an epoch that changes when it is wiped, and a switch that makes every call fail as an
/// unreachable Redis does. Thread-safe.
/// </summary>
public sealed class InMemoryFleetBus : IFleetBus
{
    private readonly Lock _lock = new();
    private readonly List<FleetRawEntry> _log = [];
    private readonly List<string?> _reads = [];
    private readonly Dictionary<string, string> _snapshot = new(StringComparer.Ordinal);
    private readonly Channel<bool> _woken = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _next = 1;
    private int _epoch = 1;

    /// <summary>When true every call throws <see cref="FleetBusException"/>.</summary>
    public bool Down { get; set; }

    /// <inheritdoc />
    public bool IsConnected => !Down;

    /// <summary>Every read's position, in order (<c>null</c> for a read from the start).</summary>
    public IReadOnlyList<string?> Reads
    {
        get
        {
            lock (_lock)
            {
                return [.. _reads];
            }
        }
    }

    /// <summary>Forgets the reads recorded so far.</summary>
    public void ClearReads()
    {
        lock (_lock)
        {
            _reads.Clear();
        }
    }

    /// <summary>Snapshots taken.</summary>
    public int Snapshots { get; private set; }

    /// <summary>The entries in the log, parsed (those that parse).</summary>
    public IReadOnlyList<FleetEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _log.Select(e => DecisionText.TryParse(e.Fields, out var entry, out _) ? entry : null).OfType<FleetEntry>()];
            }
        }
    }

    /// <summary>How many decisions the snapshot holds.</summary>
    public int InForce
    {
        get
        {
            lock (_lock)
            {
                return _snapshot.Count;
            }
        }
    }

    /// <summary>Appends fields as they are, as anyone with write access to Redis can (XADD by hand).</summary>
    public void Append(IEnumerable<KeyValuePair<string, string>> fields)
    {
        lock (_lock)
        {
            _log.Add(new FleetRawEntry((_next++).ToString(CultureInfo.InvariantCulture), [.. fields]));
        }

        Wake();
    }

    /// <summary>Loses every entry and the snapshot, as a Redis restarted without its data.</summary>
    public void Wipe()
    {
        lock (_lock)
        {
            _log.Clear();
            _snapshot.Clear();
            _epoch++;
        }
    }

    /// <summary>Drops the oldest <paramref name="count"/> entries, as MINID trimming does.</summary>
    public void Trim(int count)
    {
        lock (_lock)
        {
            _log.RemoveRange(0, Math.Min(count, _log.Count));
        }
    }

    /// <inheritdoc />
    public Task PublishAsync(IReadOnlyList<FleetEntry> entries, CancellationToken cancellationToken)
    {
        Check();
        Write(entries);
        return Task.CompletedTask;
    }

    /// <summary>Publishes even while <see cref="Down"/>: another node that still reaches the bus.</summary>
    public void Write(IReadOnlyList<FleetEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                _log.Add(new FleetRawEntry((_next++).ToString(CultureInfo.InvariantCulture), [.. entry.WireFields]));
                if (entry.Decision.Kind == DecisionKind.Ban)
                {
                    _snapshot[entry.SnapshotKey] = DecisionText.ToLines(entry);
                }
                else
                {
                    _snapshot.Remove(entry.SnapshotKey);
                }
            }
        }

        Wake();
    }

    /// <inheritdoc />
    public Task<FleetRead> ReadAsync(string? position, int max, CancellationToken cancellationToken)
    {
        Check();
        lock (_lock)
        {
            _reads.Add(position);
            long after = 0;
            if (position is not null)
            {
                var parts = position.Split('/');
                after = long.Parse(parts[1], CultureInfo.InvariantCulture);
                var first = _log.Count > 0 ? long.Parse(_log[0].Id, CultureInfo.InvariantCulture) : _next;
                if (parts[0] != Epoch || first > after + 1)
                {
                    return Task.FromResult(new FleetRead([], position, Gap: true));
                }
            }

            var entries = _log.Where(e => long.Parse(e.Id, CultureInfo.InvariantCulture) > after).Take(max).ToList();
            var last = entries.Count > 0 ? long.Parse(entries[^1].Id, CultureInfo.InvariantCulture) : after;
            return Task.FromResult(new FleetRead(entries, $"{Epoch}/{last}", Gap: false));
        }
    }

    /// <inheritdoc />
    public Task<FleetSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        Check();
        lock (_lock)
        {
            Snapshots++;
            return Task.FromResult(new FleetSnapshot([.. _snapshot.Values], $"{Epoch}/{_next - 1}"));
        }
    }

    /// <inheritdoc />
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _woken.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: read again anyway.
        }
    }

    private string Epoch => _epoch.ToString(CultureInfo.InvariantCulture);

    private void Check()
    {
        if (Down)
        {
            throw new FleetBusException("in-memory fleet bus is down");
        }
    }

    private void Wake() => _woken.Writer.TryWrite(true);
}
