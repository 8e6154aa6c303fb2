using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>Start-up: the stored bans and failures taken back into the engine's state.</summary>
public sealed partial class Engine
{
    // The loaded state (a Ban object per stored ban) is dropped when this returns, before the
    // whole-state apply: only the book's compact copy and the checkpoints outlive it.
    private async Task<Dictionary<string, string>> RestoreAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var loading = System.Diagnostics.Stopwatch.StartNew();
        var state = await _store.LoadAsync(now, cancellationToken);
        RestoreBans(state.Bans, now);
        RestoreFailures(state.Failures, now);
        Log.StateLoaded(_log, _book.Count, state.Failures.Count, loading.Elapsed.TotalMilliseconds);
        return state.Checkpoints.ToDictionary(c => c.SourceId, c => c.Token, StringComparer.Ordinal);
    }

    private void RestoreBans(IReadOnlyList<Ban> bans, DateTimeOffset now)
    {
        var v6 = bans.Count(b => b.Target.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        _book.EnsureCapacity(bans.Count - v6, v6);
        foreach (var ban in bans)
        {
            if (!ban.IsActiveAt(now))
            {
                continue;
            }

            if (!_jailsByName.TryGetValue(ban.Jail, out var jail))
            {
                Log.OrphanBan(_log, ban.Jail, AddressParsing.Format(ban.Target));
                continue;
            }

            // The allowlist may have grown since the ban was made: it wins over stored bans too.
            if (_guard.Check(ban, jail.Ignore) is { } refusal)
            {
                Log.Refused(_log, ban.Jail, AddressParsing.Format(ban.Target), ban.Origin, refusal);
                _changes.Lifted.Add((ban, now));
                continue;
            }

            _book.Put(ban);
        }
    }

    private void RestoreFailures(IReadOnlyList<StoredFailure> failures, DateTimeOffset now)
    {
        foreach (var failure in failures.OrderBy(f => f.Time))
        {
            if (_jailsByName.TryGetValue(failure.Jail, out var jail) && failure.Time >= now - jail.Policy.FindTime)
            {
                jail.Tracker.Add(failure.Id, failure.Time, failure.Attempts);
            }
        }
    }
}
