using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Fleet;

namespace Warden.Core.Engine;

/// <summary>The engine's side of the fleet: remote decisions applied on the loop, with the cursor in the same commit.</summary>
public sealed partial class BanEngine
{
    private readonly FleetOrigins _fleetOrigins = new();

    /// <summary>The checkpoint stored under <paramref name="id"/> when the engine started (the fleet's cursor is one).</summary>
    /// <param name="id">The checkpoint id.</param>
    /// <param name="cancellationToken">Cancels waiting for the loop.</param>
    public Task<string?> CheckpointAsync(string id, CancellationToken cancellationToken) =>
        _inbox.InvokeAsync(_ => Task.FromResult(_checkpoints.GetValueOrDefault(id)), cancellationToken);

    /// <summary>
    /// Applies verdicts of the fleet receiver (<see cref="FleetReceiver"/>) on the loop, each
    /// ban through the same guard as every ban (allowlist, ignoreip, the host's own addresses),
    /// then commits them with <paramref name="cursor"/>, so a restart resumes after exactly what
    /// was applied. A ban already in force here that lasts at least as long is left as it is (a
    /// remote ban never shortens a local one, and a republished one changes nothing); a tombstone
    /// lifts only a ban its origin shared, and hands it over to another node that still bans the
    /// target (<see cref="FleetOrigins"/>).
    /// </summary>
    /// <param name="verdicts">Verdicts that apply (<see cref="FleetVerdict.Applies"/>).</param>
    /// <param name="cursor">The fleet cursor after these entries.</param>
    /// <param name="stats">Counts what was applied and what this host refused.</param>
    /// <param name="cancellationToken">Cancels waiting for the loop; a command already running completes.</param>
    public Task<int> ApplyFleetAsync(IReadOnlyList<FleetVerdict> verdicts, FleetCursor cursor, FleetStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(stats);
        return _inbox.InvokeAsync(async ct =>
        {
            var applied = 0;
            foreach (var verdict in verdicts)
            {
                if (verdict.Entry?.Decision is not { } decision || !verdict.Applies)
                {
                    continue;
                }

                if (!_jails.TryGet(decision.Jail, out _))
                {
                    stats.AddDropped(FleetDrop.NotAccepted);
                    continue;
                }

                var target = AddressParsing.ToNetwork(decision.Target.BaseAddress, decision.Target.PrefixLength);
                var now = _time.GetUtcNow();
                if (decision.Kind == DecisionKind.Unban)
                {
                    if (_decisions.UnbanShared(decision.Jail, target, decision.Origin) is not null)
                    {
                        stats.AddApplied();
                        applied++;

                        // Another node, or this host's own ban it replaced, still bans it: the ban stays, theirs, for its time left.
                        if (_fleetOrigins.TakeLongest(decision.Jail, target, now) is { } next)
                        {
                            await (next.Origin == FleetOrigins.Own
                                ? _decisions.BanAsync(decision.Jail, target, next.Until - now, next.Kind, ct)
                                : _decisions.BanAsync(decision.Jail, target, next.Until - now, BanOrigin.Fleet, next.Origin, ct));
                        }
                    }
                    else
                    {
                        _fleetOrigins.Remove(decision.Jail, target, decision.Origin);
                    }

                    continue;
                }

                var until = now + verdict.Remaining;
                var held = _book.Find(decision.Jail, target);
                if (held is not null && (held.Expires is null || held.Expires >= until))
                {
                    if (held is { Origin: BanOrigin.Fleet, By: { } holder } && holder != decision.Origin)
                    {
                        _fleetOrigins.Add(decision.Jail, target, decision.Origin, until, now);
                    }

                    continue;
                }

                // This host's own shorter ban, about to be replaced, is noted to come back when the fleet's is lifted.
                if (held is { Origin: not BanOrigin.Fleet, Expires: { } ownUntil })
                {
                    _fleetOrigins.Add(decision.Jail, target, FleetOrigins.Own, ownUntil, now, held.Origin);
                }

                var outcome = await _decisions.BanAsync(decision.Jail, target, verdict.Remaining, BanOrigin.Fleet, decision.Origin, ct);
                if (outcome.Ban is not null)
                {
                    stats.AddApplied();
                    applied++;
                    _fleetOrigins.Remove(decision.Jail, target, decision.Origin);
                    if (held is { Origin: BanOrigin.Fleet, By: { } replaced, Expires: { } replacedUntil } && replaced != decision.Origin)
                    {
                        _fleetOrigins.Add(decision.Jail, target, replaced, replacedUntil, now);
                    }
                }
                else
                {
                    stats.AddDropped(outcome.Refusal is not null ? FleetDrop.Refused : FleetDrop.NotAccepted);
                }
            }

            _store.Changes.Checkpoints.Add(cursor.ToCheckpoint());
            await FlushAsync(ct);
            return applied;
        }, cancellationToken);
    }
}
