using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>A fake <see cref="IStateStore"/> in memory, with the same commit semantics as the real one.</summary>
public sealed class InMemoryStateStore : IStateStore
{
    private readonly object _gate = new();
    private readonly List<Ban> _bans = [];
    private readonly List<StoredFailure> _failures = [];
    private readonly Dictionary<string, string> _checkpoints = new(StringComparer.Ordinal);

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

    /// <inheritdoc />
    public Task CommitAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
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
                _bans.RemoveAll(b => b.Jail == ban.Jail && b.Target == ban.Target);
                _bans.Add(ban);
            }

            foreach (var (ban, _) in changes.Lifted)
            {
                _bans.RemoveAll(b => b.Jail == ban.Jail && b.Target == ban.Target);
            }

            if (changes.PruneFailuresBefore is { } before)
            {
                _failures.RemoveAll(f => f.Time < before);
            }

            Commits++;
        }

        return Task.CompletedTask;
    }
}
