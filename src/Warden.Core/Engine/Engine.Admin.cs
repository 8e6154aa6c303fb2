using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;

namespace Warden.Core.Engine;

/// <summary>
/// Commands from outside the loop (the admin API, fleet sharing, the host's DNS refresh). Each
/// runs on the engine loop, so it sees and changes the same state as log processing, and each
/// flushes before it answers: when it returns, the firewall and the store hold the change.
/// </summary>
public sealed partial class Engine
{
    /// <summary>A duration meaning "permanent" for <see cref="BanAsync"/> (fail2ban's <c>-1</c>).</summary>
    public static readonly TimeSpan Permanent = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Bans <paramref name="target"/> in <paramref name="jail"/> (replacing a ban of the same
    /// target there), through the same guard as every ban, and records it in the history.
    /// </summary>
    /// <param name="jail">The jail whose firewall set holds the ban.</param>
    /// <param name="target">An address or network; host bits are cleared.</param>
    /// <param name="duration">How long; <c>null</c> for the jail's (escalated) bantime, <see cref="Permanent"/> for ever.</param>
    /// <param name="origin">Who asks: <see cref="BanOrigin.Manual"/> for an admin, <see cref="BanOrigin.Fleet"/> for another host.</param>
    /// <param name="cancellationToken">Cancels waiting for the loop; a command already running completes.</param>
    public Task<BanOutcome> BanAsync(string jail, IPNetwork target, TimeSpan? duration, BanOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jail);
        return InvokeAsync(async ct =>
        {
            if (!_jailsByName.TryGetValue(jail, out var running))
            {
                return BanOutcome.NoSuchJail(jail);
            }

            var now = _time.GetUtcNow();
            target = AddressParsing.ToNetwork(target.BaseAddress, target.PrefixLength);
            if (_guard.Check(target, running.Ignore) is { } refusal)
            {
                running.Stats.AddRefused();
                Log.Refused(_log, jail, AddressParsing.Format(target), origin, refusal);
                return BanOutcome.Refused(refusal);
            }

            var prior = 0;
            TimeSpan? banTime;
            if (duration is null)
            {
                (banTime, prior) = await BanTimeAsync(running, target, running.Policy.BanTime, now, ct);
            }
            else
            {
                banTime = duration == Permanent ? null : duration;
            }

            var ban = new Ban(jail, target, now, Expiry(now, banTime), origin, 0) { PriorBans = prior };
            Impose(ban);
            running.Tracker.Forget(AddressParsing.Format(target));
            await DecideAsync(ct);
            await FlushAsync(ct);
            return BanOutcome.Banned(ban);
        }, cancellationToken);
    }

    /// <summary>
    /// Lifts every ban, in any jail, whose target shares an address with <paramref name="target"/>
    /// (unbanning an address also lifts a prefix ban that covers it), and forgets its failures.
    /// </summary>
    /// <returns>The bans lifted; empty when none touched the target.</returns>
    public Task<IReadOnlyList<Ban>> UnbanAsync(IPNetwork target, CancellationToken cancellationToken) =>
        InvokeAsync<IReadOnlyList<Ban>>(async ct =>
        {
            var lifted = _book.Overlapping(target);
            var now = _time.GetUtcNow();
            foreach (var ban in lifted)
            {
                Lift(ban, now);
                Log.Unbanned(_log, ban.Jail, AddressParsing.Format(ban.Target));
            }

            foreach (var jail in _jails)
            {
                jail.Tracker.Forget(AddressParsing.Format(target));
            }

            await FlushAsync(ct);
            return lifted;
        }, cancellationToken);

    /// <summary>Lifts every ban in force.</summary>
    /// <returns>The bans lifted.</returns>
    public Task<IReadOnlyList<Ban>> UnbanAllAsync(CancellationToken cancellationToken) =>
        InvokeAsync<IReadOnlyList<Ban>>(async ct =>
        {
            var lifted = _book.All.ToList();
            var now = _time.GetUtcNow();
            foreach (var ban in lifted)
            {
                Lift(ban, now);
            }

            Log.UnbannedAll(_log, lifted.Count);
            await FlushAsync(ct);
            return lifted;
        }, cancellationToken);

    /// <summary>Counters of the engine and every jail, taken on the loop.</summary>
    public Task<EngineStatus> StatusAsync(CancellationToken cancellationToken) =>
        InvokeAsync(_ =>
        {
            var now = _time.GetUtcNow();
            var inForce = _book.CountActive(now);
            var jails = _jails.Select(j => new JailStatus(
                j.Name,
                inForce.GetValueOrDefault(j.Name),
                j.Tracker.Count,
                j.Stats.Failures,
                j.Stats.Bans,
                j.Stats.Ignored,
                j.Stats.Refused,
                j.Stats.Stale)).ToList();
            return Task.FromResult(new EngineStatus(_firewall.Name, jails, inForce.Values.Sum(), Stats.Lines, Stats.Commits, Stats.FirewallErrors, Stats.StoreErrors));
        }, cancellationToken);

    /// <summary>
    /// Replaces a jail's resolved <c>ignoreip</c> host names (the host re-resolves them
    /// periodically). Bans of the jail that now cover an ignored address are lifted: the
    /// allowlist beats bans made before it grew.
    /// </summary>
    public Task<IReadOnlyList<Ban>> SetResolvedIgnoreAsync(string jail, AddressSet addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return InvokeAsync<IReadOnlyList<Ban>>(async ct =>
        {
            if (!_jailsByName.TryGetValue(jail, out var running))
            {
                return [];
            }

            running.ResolvedIgnore = addresses;
            var now = _time.GetUtcNow();
            var lifted = _book.All.Where(b => b.Jail == jail && _guard.Check(b, running.Ignore) is not null).ToList();
            foreach (var ban in lifted)
            {
                Lift(ban, now);
            }

            await FlushAsync(ct);
            return lifted;
        }, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Warning, "[{Jail}] Unban {Target}: lifted by an admin")]
        public static partial void Unbanned(ILogger logger, string jail, string target);

        [LoggerMessage(1111, LogLevel.Warning, "All {Count} bans lifted by an admin")]
        public static partial void UnbannedAll(ILogger logger, int count);
    }
}
