using Warden.Core.Ports;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// An in-memory stand-in for the SQLite store (which lives in another project): commits are
/// atomic, and <see cref="Die"/> makes every later commit fail, as a crash would.
/// </summary>
internal sealed class FakeStateStore : IStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _checkpoints = new(StringComparer.Ordinal);
    private readonly List<StoredFailure> _failures = [];
    private bool _dead;

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

    public int FailureCount
    {
        get
        {
            lock (_gate)
            {
                return _failures.Count;
            }
        }
    }

    public string CheckpointText
    {
        get
        {
            lock (_gate)
            {
                return string.Join(" | ", _checkpoints.Values);
            }
        }
    }

    public int Checkpoints
    {
        get
        {
            lock (_gate)
            {
                return _checkpoints.Count;
            }
        }
    }

    /// <summary>Highest value <paramref name="key"/> gives any committed failure.</summary>
    public long Max(Func<StoredFailure, long> key)
    {
        lock (_gate)
        {
            return _failures.Count == 0 ? -1 : key(_failures[^1]);
        }
    }

    public void Die()
    {
        lock (_gate)
        {
            _dead = true;
        }
    }

    public void Revive()
    {
        lock (_gate)
        {
            _dead = false;
        }
    }

    public Task<StoredState> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new StoredState([], [], [.. _checkpoints.Select(c => new SourceCheckpoint(c.Key, c.Value))]));
        }
    }

    public Task CommitAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            if (_dead)
            {
                throw new StateStoreException("fake", "the process died");
            }

            foreach (var checkpoint in changes.Checkpoints)
            {
                _checkpoints[checkpoint.SourceId] = checkpoint.Token;
            }

            _failures.AddRange(changes.Failures);
        }

        return Task.CompletedTask;
    }
}
