using System.Net;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>A fake <see cref="IStateStore"/> in memory, with the same commit semantics as the real one (history included).</summary>
public sealed class InMemoryStateStore : IStateStore, IBanHistory, IEvidenceStore
{
    private readonly object _gate = new();
    private readonly List<Ban> _bans = [];
    private readonly List<(Ban Ban, DateTimeOffset? Lifted)> _history = [];
    private readonly List<StoredFailure> _failures = [];
    private readonly Dictionary<string, string> _checkpoints = new(StringComparer.Ordinal);

    /// <summary>A store whose state already holds <paramref name="bans"/> (committed once).</summary>
    public static InMemoryStateStore Holding(IEnumerable<Ban> bans)
    {
        var store = new InMemoryStateStore();
        var changes = new StateChanges();
        changes.Bans.AddRange(bans);
        store.CommitAsync(changes, CancellationToken.None).GetAwaiter().GetResult();
        return store;
    }

    /// <summary>While set, every commit throws it (a full disk, a read-only file system) and writes nothing.</summary>
    public Exception? CommitFailure { get; set; }

    /// <summary>Commits made.</summary>
    public int Commits { get; private set; }

    /// <summary>Every ban ever committed.</summary>
    public IReadOnlyList<Ban> AllBans
    {
        get
        {
            lock (_gate)
            {
                return [.. _bans];
            }
        }
    }

    /// <summary>Every ban ever committed with when it was lifted or superseded (null while open).</summary>
    public IReadOnlyList<(Ban Ban, DateTimeOffset? Lifted)> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PastBan>> HistoryAsync(IPNetwork target, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PastBan>>([.. _history
                .Where(h => h.Ban.Target == target)
                .OrderByDescending(h => h.Ban.Start)
                .Take(limit)
                .Select(h => new PastBan(h.Ban, h.Lifted is { } l && (h.Ban.Expires is null || l < h.Ban.Expires) ? l : h.Ban.Expires))]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PastBan>> BansSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PastBan>>([.. _history
                .Where(h => h.Ban.Start >= since)
                .OrderByDescending(h => h.Ban.Start)
                .Take(limit)
                .Select(h => new PastBan(h.Ban, Ended(h)))]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PastBan>> BansOfAsync(IPNetwork target, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PastBan>>([.. _history
                .Where(h => h.Ban.Target.BaseAddress.AddressFamily == target.BaseAddress.AddressFamily
                    && (h.Ban.Target.Contains(target.BaseAddress) || target.Contains(h.Ban.Target.BaseAddress)))
                .OrderByDescending(h => h.Ban.Start)
                .Take(limit)
                .Select(h => new PastBan(h.Ban, Ended(h)))]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFailure>> FailuresOfAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredFailure>>([.. _failures.Where(f => f.Address is { } a && target.Contains(a)).OrderBy(f => f.Time)]);
        }
    }

    /// <summary>Stored failures.</summary>
    public IReadOnlyList<StoredFailure> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>The committed checkpoint of a source, if any.</summary>
    public string? Checkpoint(string sourceId)
    {
        lock (_gate)
        {
            return _checkpoints.GetValueOrDefault(sourceId);
        }
    }

    /// <inheritdoc />
    public Task<StoredState> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var active = _bans.Where(b => b.IsActiveAt(now)).ToList();
            return Task.FromResult(new StoredState(
                active,
                [.. _failures],
                [.. _checkpoints.Select(c => new SourceCheckpoint(c.Key, c.Value))]));
        }
    }

    private static DateTimeOffset? Ended((Ban Ban, DateTimeOffset? Lifted) h) =>
        h.Lifted is { } l && (h.Ban.Expires is null || l < h.Ban.Expires) ? l : h.Ban.Expires;

    private void Close(string jail, IPNetwork target, DateTimeOffset at)
    {
        for (var i = 0; i < _history.Count; i++)
        {
            if (_history[i].Ban.Jail == jail && _history[i].Ban.Target == target && _history[i].Lifted is null)
            {
                _history[i] = (_history[i].Ban, at);
            }
        }
    }

    /// <inheritdoc />
    public Task CommitAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (CommitFailure is { } failure)
        {
            return Task.FromException(failure);
        }

        lock (_gate)
        {
            foreach (var checkpoint in changes.Checkpoints)
            {
                _checkpoints[checkpoint.SourceId] = checkpoint.Token;
            }

            _failures.AddRange(changes.Failures);
            foreach (var (jail, id) in changes.ClearedFailures)
            {
                _failures.RemoveAll(f => f.Jail == jail && f.Id == id);
            }

            foreach (var ban in changes.Bans)
            {
                Close(ban.Jail, ban.Target, ban.Start);
                _bans.RemoveAll(b => b.Jail == ban.Jail && b.Target == ban.Target);
                _bans.Add(ban);
                _history.Add((ban, null));
            }

            foreach (var (ban, at) in changes.Lifted)
            {
                Close(ban.Jail, ban.Target, at);
                _bans.RemoveAll(b => b.Jail == ban.Jail && b.Target == ban.Target);
            }

            if (changes.PruneFailuresBefore is { } before)
            {
                _failures.RemoveAll(f => f.Time < before);
            }

            if (changes.PurgeHistoryBefore is { } cutoff)
            {
                _history.RemoveAll(h => Ended(h) is { } ended && ended < cutoff);
            }

            Commits++;
        }

        return Task.CompletedTask;
    }
}
