using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// Start-up: the stored bans back in the book (unless expired, orphaned or now allowlisted), the
/// bans the firewall's own table still holds that the store has no record of (a lost, emptied or
/// older state file must not lift what the kernel enforces), and the stored failures back in the
/// jails' trackers. The loaded rows (a <see cref="Ban"/> object per stored ban) are dropped when
/// <see cref="RestoreAsync"/> returns, before the whole-state apply: only the book's compact copy
/// and the checkpoints outlive it.
/// </summary>
internal sealed partial class StateRestore(JailSet jails, BanBook book, BanGuard guard, ILogger logger)
{
    // Kernel timeouts are listed in whole seconds, so a start inferred from them is this far off.
    private static readonly TimeSpan KernelPrecision = TimeSpan.FromSeconds(2);

    /// <summary>Loads the state; returns the checkpoint of every source by id.</summary>
    /// <param name="store">Where the state is.</param>
    /// <param name="kernel">The firewall's listing of its own bans; <c>null</c> when the backend cannot list them.</param>
    /// <param name="history">The store's ban history, to tell a ban the store lifted from one it never saw; <c>null</c> for none.</param>
    /// <param name="now">Bans and failures are judged as of this time.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    public async Task<Dictionary<string, string>> RestoreAsync(
        StoreSync store, IFirewallReadBack? kernel, IBanHistory? history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var loading = Stopwatch.StartNew();
        var state = await store.LoadAsync(now, cancellationToken);
        var empty = state.Bans.Count == 0 && state.Failures.Count == 0 && state.Checkpoints.Count == 0;
        if (empty)
        {
            Log.StoreEmpty(logger);
        }

        RestoreBans(state.Bans, now, store.Changes);
        var adopted = kernel is null ? [] : await KeepKernelBansAsync(kernel, history, now, cancellationToken);
        RestoreFailures(state.Failures, now, adopted, store.Changes);
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
            jail.Stats.AddRestored();
        }
    }

    // A ban in the kernel the book lacks is kept unless the store recorded its end (a lift or an
    // expiry) after the kernel's ban began: then the store's decision is newer, and the
    // whole-state apply removes the element. Only such bans cost a history lookup; on a normal
    // start the kernel holds exactly the book's bans and none is looked up.
    // The bans kept are returned, not yet in the book: their records are completed by the stored
    // failures first (RestoreFailures).
    private async Task<Dictionary<(string Jail, IPNetwork Target), Ban>> KeepKernelBansAsync(IFirewallReadBack kernel, IBanHistory? history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kept = new Dictionary<(string Jail, IPNetwork Target), Ban>();
        IReadOnlyList<Ban> held;
        try
        {
            held = await kernel.ReadBansAsync([.. jails.All.Select(j => FirewallJail.From(j.Policy))], now, cancellationToken);
        }
        catch (FirewallException ex)
        {
            Log.ReadBackFailed(logger, ex.Message);
            return kept;
        }

        var superseded = 0;
        foreach (var ban in held)
        {
            if (!ban.IsActiveAt(now) || !jails.TryGet(ban.Jail, out var jail) || book.Find(ban.Jail, ban.Target) is not null
                || guard.Check(ban, jail.Ignore) is not null)
            {
                continue;
            }

            if (history is not null && await EndedAfterAsync(history, ban, cancellationToken))
            {
                superseded++;
                continue;
            }

            kept[(ban.Jail, ban.Target)] = ban;
            jail.Stats.AddRestored();
        }

        if (kept.Count > 0 || superseded > 0)
        {
            Log.KernelBansKept(logger, kept.Count, superseded);
        }

        return kept;
    }

    private static async Task<bool> EndedAfterAsync(IBanHistory history, Ban ban, CancellationToken cancellationToken)
    {
        var past = await history.HistoryAsync(ban.Target, 16, cancellationToken);
        var last = past.FirstOrDefault(p => p.Ban.Jail == ban.Jail);
        return last is { Ended: { } ended } && ended >= ban.Start - KernelPrecision;
    }

    // A ban kept from the kernel was made by a run killed before it committed: the failures that
    // led to it are still stored. They are its failures, so they go into its record and are
    // cleared, as the commit would have done; counted again they would stay behind the ban and
    // count toward the next one.
    private void RestoreFailures(IReadOnlyList<StoredFailure> failures, DateTimeOffset now, Dictionary<(string Jail, IPNetwork Target), Ban> adopted, StateChanges changes)
    {
        var settled = new Dictionary<(string Jail, IPNetwork Target), int>();
        foreach (var failure in failures.OrderBy(f => f.Time))
        {
            if (!jails.TryGet(failure.Jail, out var jail) || failure.Time < now - jail.Policy.FindTime)
            {
                continue;
            }

            if (adopted.Count > 0 && failure.Address is { } address && (failure.Jail, AddressParsing.HostNetwork(address)) is var key && adopted.ContainsKey(key))
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(settled, key, out var seen);
                count += failure.Attempts;
                if (!seen)
                {
                    changes.ClearedFailures.Add((failure.Jail, failure.Id));
                }

                continue;
            }

            jail.Tracker.Add(failure.Id, failure.Time, failure.Attempts);
        }

        foreach (var (key, ban) in adopted)
        {
            var record = settled.TryGetValue(key, out var count) ? ban with { Failures = count } : ban;
            book.Put(record);
            changes.Bans.Add(record);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1002, LogLevel.Information, "State loaded: {Bans} bans in force, {Failures} stored failures, in {Milliseconds} ms")]
        public static partial void StateLoaded(ILogger logger, int bans, int failures, double milliseconds);

        [LoggerMessage(1024, LogLevel.Warning, "The state store holds no bans, failures or read positions: a first start, or the state file was lost or emptied. Bans still in the firewall's own table are kept with their remaining time")]
        public static partial void StoreEmpty(ILogger logger);

        [LoggerMessage(1025, LogLevel.Warning, "{Kept} bans in the firewall's own table had no record in the state store: kept with their remaining time and written to the store; {Superseded} that the store records as lifted or ended are removed")]
        public static partial void KernelBansKept(ILogger logger, int kept, int superseded);

        [LoggerMessage(1026, LogLevel.Warning, "Could not list the bans in the firewall's own table ({Error}); starting from the state store alone")]
        public static partial void ReadBackFailed(ILogger logger, string error);

        [LoggerMessage(1022, LogLevel.Warning, "Stored ban of {Target} belongs to jail {Jail}, which is not configured; not restored")]
        public static partial void OrphanBan(ILogger logger, string jail, string target);

        [LoggerMessage(1023, LogLevel.Warning, "[{Jail}] stored ban of {Target} ({Origin}) not restored: {Refusal}")]
        public static partial void Refused(ILogger logger, string jail, string target, BanOrigin origin, BanRefusal refusal);
    }
}
