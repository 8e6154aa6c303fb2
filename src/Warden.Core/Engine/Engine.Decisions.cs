using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// Ban decisions: what happens between "an address reached maxretry" and "a ban is imposed"
/// (ignorecommand, escalation from the ban history, prefix aggregation, recidive), on the loop.
/// </summary>
public sealed partial class Engine
{
    // Escalation never needs more: the default formula stops growing after 20 earlier bans.
    private const int HistoryLimit = 64;

    private Jail[]? _recidiveJails;

    private Jail[] RecidiveJails => _recidiveJails ??= [.. _jails.Where(j => j.Policy.CountsBans)];

    /// <summary>Decides every pending candidate; candidates added meanwhile (recidive) are decided too.</summary>
    private async Task DecideAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _candidates.Count; i++)
        {
            await DecideAsync(_candidates[i], cancellationToken);
        }

        _candidates.Clear();
    }

    private async Task DecideAsync(BanCandidate candidate, CancellationToken cancellationToken)
    {
        var jail = candidate.Jail;
        var now = _time.GetUtcNow();
        if (_book.IsBanned(jail.Name, candidate.Address, now))
        {
            return;
        }

        // fail2ban asks ignorecommand for every failure (server/filter.py inIgnoreIPList); asking
        // once at the ban has the same outcome without a process per log line.
        if (jail.IgnoreCheck is { } check && await check.IsIgnoredAsync(jail.Name, candidate.Address, cancellationToken))
        {
            jail.Stats.AddIgnored();
            Log.IgnoredByCommand(_log, jail.Name, candidate.Address);
            return;
        }

        var target = AddressParsing.HostNetwork(candidate.Address);
        var (banTime, prior) = await BanTimeAsync(jail, target, jail.Policy.BanTime, now, cancellationToken);
        var ban = new Ban(jail.Name, target, now, Expiry(now, banTime), BanOrigin.Jail, candidate.Failures)
        {
            Matches = candidate.Matches,
            Fields = candidate.Last.Fields,
            PriorBans = prior,
        };
        if (Impose(ban))
        {
            Aggregate(jail, candidate.Address, ban, now);
        }
    }

    /// <summary>The jail's ban time for <paramref name="target"/>, increased for an address banned before.</summary>
    private async Task<(TimeSpan? BanTime, int Prior)> BanTimeAsync(Jail jail, IPNetwork target, TimeSpan? baseTime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (jail.Policy.Increment is not { } increment || _history is null || baseTime is null)
        {
            return (baseTime, 0);
        }

        IReadOnlyList<PastBan> history;
        try
        {
            history = await _history.HistoryAsync(target, HistoryLimit, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without history the ban still happens, at the base time.
            Log.HistoryFailed(_log, ex);
            return (baseTime, 0);
        }

        var prior = Escalation.PriorBans(history, jail.Name, now, increment);
        var banTime = Escalation.BanTime(baseTime, prior, increment, _options.Random);
        if (prior > 0)
        {
            Log.Escalated(_log, jail.Name, AddressParsing.Format(target), prior, baseTime, banTime);
        }

        return (banTime, prior);
    }

    /// <summary>
    /// After a ban of <paramref name="address"/>: when its prefix now holds enough banned
    /// addresses, ban the prefix (through the guard, so never over an allowlisted address) and
    /// lift the single bans it covers. A refused prefix leaves the single bans as they are.
    /// </summary>
    private void Aggregate(Jail jail, IPAddress address, Ban trigger, DateTimeOffset now)
    {
        if (jail.Aggregator?.Record(address, now) is not { } prefix || _book.Find(jail.Name, prefix) is not null)
        {
            return;
        }

        var covered = _book.Covered(jail.Name, prefix);
        var expires = trigger.Expires;
        var failures = 0;
        foreach (var ban in covered)
        {
            failures += ban.Failures;
            expires = expires is null || ban.Expires is null ? null : (ban.Expires > expires ? ban.Expires : expires);
        }

        var prefixBan = new Ban(jail.Name, prefix, now, expires, BanOrigin.Prefix, failures) { PriorBans = trigger.PriorBans };
        if (!Impose(prefixBan))
        {
            return;
        }

        foreach (var ban in covered)
        {
            Lift(ban, now);
        }

        Log.Aggregated(_log, jail.Name, AddressParsing.Format(prefix), covered.Count);
    }

    /// <summary>Ends a ban before its expiry: out of the book and the firewall, recorded as lifted.</summary>
    private void Lift(Ban ban, DateTimeOffset now)
    {
        if (_book.Remove(ban.Jail, ban.Target) is null)
        {
            return;
        }

        _pending.Unban(ban);
        _changes.Lifted.Add((ban, now));
    }

    /// <summary>A recidive jail counts each ban another jail imposes as one failure of its target.</summary>
    private void FeedRecidive(Ban ban)
    {
        // fail2ban's filter.d/recidive.conf matches "Ban" lines of other jails only (not its own,
        // not "Restore Ban"), so restored, prefix and fleet bans are not counted either.
        if (ban.Origin is not (BanOrigin.Jail or BanOrigin.Manual) || !AddressParsing.IsHost(ban.Target))
        {
            return;
        }

        foreach (var jail in RecidiveJails)
        {
            if (jail.Name != ban.Jail)
            {
                var line = $"[{ban.Jail}] Ban {AddressParsing.Format(ban.Target)}";
                Count(jail, new Detection.Detection(AddressParsing.Format(ban.Target), ban.Target.BaseAddress, ban.Start, line, Detection.Detection.NoFields), ban.Start);
            }
        }
    }

    private static DateTimeOffset? Expiry(DateTimeOffset now, TimeSpan? banTime) =>
        banTime is { } time ? now + time : null;

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Warning, "[{Jail}] refused to ban {Target} ({Origin}): {Refusal}")]
        public static partial void Refused(ILogger logger, string jail, string target, BanOrigin origin, BanRefusal refusal);

        [LoggerMessage(1101, LogLevel.Information, "[{Jail}] ignored {Address}: ignorecommand said so")]
        public static partial void IgnoredByCommand(ILogger logger, string jail, IPAddress address);

        [LoggerMessage(1102, LogLevel.Information, "[{Jail}] {Target} was banned {Prior} time(s) before: ban time {BaseTime} increased to {BanTime}")]
        public static partial void Escalated(ILogger logger, string jail, string target, int prior, TimeSpan? baseTime, TimeSpan? banTime);

        [LoggerMessage(1103, LogLevel.Warning, "[{Jail}] {Count} banned addresses of {Prefix}: the prefix is banned instead")]
        public static partial void Aggregated(ILogger logger, string jail, string prefix, int count);

        [LoggerMessage(1104, LogLevel.Error, "Ban history unreadable; banning for the base time")]
        public static partial void HistoryFailed(ILogger logger, Exception exception);
    }
}
