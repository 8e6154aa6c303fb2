using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// Everything the engine holds in memory that a store needs to resume, added to one batch: every
/// ban in the book and every failure the jails still count (one stored failure per attempt, so a
/// restart counts them again exactly). Used when the state file was deleted or replaced while running.
/// </summary>
internal static class WholeState
{
    /// <summary>
    /// Adds the whole state to a batch that may already hold changes. The trackers' counts include
    /// the failures the batch holds, so those are replaced, not added to; a ban the batch holds
    /// already keeps its record (with its evidence) instead of the book's copy.
    /// </summary>
    public static void AddTo(StateChanges changes, JailSet jails, BanBook book)
    {
        var pending = changes.Bans.Select(b => (b.Jail, b.Target)).ToHashSet();
        changes.Bans.AddRange(book.All.Where(b => !pending.Contains((b.Jail, b.Target))));
        changes.Failures.Clear();
        foreach (var jail in jails.All)
        {
            foreach (var (id, time) in jail.Tracker.Counted())
            {
                var address = AddressParsing.TryParseAddress(id, out var parsed) ? parsed : null;
                changes.Failures.Add(new StoredFailure(jail.Name, id, address, time, 1));
            }
        }
    }
}
