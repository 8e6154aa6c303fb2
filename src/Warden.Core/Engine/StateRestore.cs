using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// Start-up: the stored bans back in the book (unless expired, orphaned or now allowlisted) and
/// the stored failures back in the jails' trackers. The loaded rows (a <see cref="Ban"/> object
/// per stored ban) are dropped when <see cref="RestoreAsync"/> returns, before the whole-state
/// apply: only the book's compact copy and the checkpoints outlive it.
/// </summary>
internal sealed partial class StateRestore(JailSet jails, BanBook book, BanGuard guard, ILogger logger)
{
    /// <summary>Loads the state; returns the checkpoint of every source by id.</summary>
    /// <param name="store">Where the state is.</param>
    /// <param name="now">Bans and failures are judged as of this time.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    public async Task<Dictionary<string, string>> RestoreAsync(StoreSync store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var loading = Stopwatch.StartNew();
        var state = await store.LoadAsync(now, cancellationToken);
        RestoreBans(state.Bans, now, store.Changes);
        RestoreFailures(state.Failures, now);
        Log.StateLoaded(logger, book.Count, state.Failures.Count, loading.Elapsed.TotalMilliseconds);
        return state.Checkpoints.ToDictionary(c => c.SourceId, c => c.Token, StringComparer.Ordinal);
    }

    private void RestoreBans(IReadOnlyList<Ban> bans, DateTimeOffset now, StateChanges changes)
    {
        var v6 = bans.Count(b => b.Target.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6);
        book.EnsureCapacity(bans.Count - v6, v6);
        foreach (var ban in bans)
        {
            if (!ban.IsActiveAt(now))
            {
                continue;
            }

            if (!jails.TryGet(ban.Jail, out var jail))
            {
                Log.OrphanBan(logger, ban.Jail, AddressParsing.Format(ban.Target));
                continue;
            }

            // The allowlist may have grown since the ban was made: it wins over stored bans too.
            if (guard.Check(ban, jail.Ignore) is { } refusal)
            {
                Log.Refused(logger, ban.Jail, AddressParsing.Format(ban.Target), ban.Origin, refusal);
                changes.Lifted.Add((ban, now));
                continue;
            }

            book.Put(ban);
        }
    }

    private void RestoreFailures(IReadOnlyList<StoredFailure> failures, DateTimeOffset now)
    {
        foreach (var failure in failures.OrderBy(f => f.Time))
        {
            if (jails.TryGet(failure.Jail, out var jail) && failure.Time >= now - jail.Policy.FindTime)
            {
                jail.Tracker.Add(failure.Id, failure.Time, failure.Attempts);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1002, LogLevel.Information, "State loaded: {Bans} bans in force, {Failures} stored failures, in {Milliseconds} ms")]
        public static partial void StateLoaded(ILogger logger, int bans, int failures, double milliseconds);

        [LoggerMessage(1022, LogLevel.Warning, "Stored ban of {Target} belongs to jail {Jail}, which is not configured; not restored")]
        public static partial void OrphanBan(ILogger logger, string jail, string target);

        [LoggerMessage(1023, LogLevel.Warning, "[{Jail}] stored ban of {Target} ({Origin}) not restored: {Refusal}")]
        public static partial void Refused(ILogger logger, string jail, string target, BanOrigin origin, BanRefusal refusal);
    }
}
