using Warden.Core.Ports;

namespace Warden.Core.Policy;

/// <summary>
/// fail2ban's ban time increment (server/observer.py incrBanTime, server/jail.py
/// setBanTimeExtra), computed from Warden's own ban history. Pure functions, thread-safe.
/// </summary>
public static class Escalation
{
    private const int MaxShift = 20;

    /// <summary>
    /// The number of earlier bans that count, as fail2ban's <c>bips.bancount</c> would hold it:
    /// a chain of bans of the address, each starting within <see cref="BanTimeIncrement.Memory"/>
    /// of the previous one's end, the newest ending (or still running) within that memory of
    /// <paramref name="now"/>. Per jail; summed over every jail with <c>overalljails</c>.
    /// </summary>
    public static int PriorBans(IEnumerable<PastBan> history, string jail, DateTimeOffset now, BanTimeIncrement settings)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(settings);
        var count = 0;
        foreach (var group in history.Where(b => settings.OverallJails || b.Ban.Jail == jail).GroupBy(b => b.Ban.Jail, StringComparer.Ordinal))
        {
            var next = now;
            foreach (var past in group.OrderByDescending(b => b.Ban.Start))
            {
                if (past.Ended is { } ended && ended + settings.Memory < next)
                {
                    break;
                }

                count++;
                next = past.Ban.Start;
            }
        }

        return count;
    }

    /// <summary>
    /// The ban time after <paramref name="priorBans"/> earlier bans: the base time for a first
    /// ban (fail2ban applies neither maxtime nor rndtime then) or a permanent one; otherwise the
    /// multipliers or the formula (never below the base time), capped by maxtime, plus up to
    /// rndtime of random time (<paramref name="random"/> gives numbers in [0, 1)).
    /// </summary>
    public static TimeSpan? BanTime(TimeSpan? baseTime, int priorBans, BanTimeIncrement settings, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        if (baseTime is not { } time || time <= TimeSpan.Zero || priorBans <= 0)
        {
            return baseTime;
        }

        var seconds = time.TotalSeconds;
        double result;
        if (settings.Multipliers.Count > 0)
        {
            result = seconds * settings.Factor * settings.Multipliers[Math.Min(priorBans, settings.Multipliers.Count - 1)];
        }
        else
        {
            var formula = settings.Formula is { } custom
                ? custom.Evaluate(seconds, priorBans, settings.Factor)
                : seconds * (1L << Math.Min(priorBans, MaxShift)) * settings.Factor;
            result = Math.Max(seconds, formula);
        }

        if (settings.MaxTime is { } max)
        {
            result = Math.Min(result, max.TotalSeconds);
        }

        if (settings.RandomTime is { } rnd)
        {
            result += random() * rnd.TotalSeconds;
        }

        // A formula that overflows or goes wrong must not make a ban shorter than asked or endless.
        if (double.IsNaN(result) || result < 0)
        {
            return time;
        }

        return result >= TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromDays(365 * 100) : TimeSpan.FromSeconds(result);
    }
}
