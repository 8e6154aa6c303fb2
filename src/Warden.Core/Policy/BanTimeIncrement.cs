namespace Warden.Core.Policy;

/// <summary>
/// fail2ban's <c>bantime.*</c> settings (server/jail.py setBanTimeExtra): how a jail lengthens the
/// ban of an address it (or, with <see cref="OverallJails"/>, any jail) has banned before. Immutable.
/// </summary>
public sealed record BanTimeIncrement
{
    /// <summary><c>bantime.factor</c>: the <c>banFactor</c> of the formula, or a common multiplier.</summary>
    public double Factor { get; init; } = 1;

    /// <summary><c>bantime.multipliers</c>: when not empty, used instead of the formula.</summary>
    public IReadOnlyList<double> Multipliers { get; init; } = [];

    /// <summary><c>bantime.formula</c>; <c>null</c> means fail2ban's default, <c>ban.Time * 2^min(ban.Count, 20) * banFactor</c>.</summary>
    public IBanTimeFormula? Formula { get; init; }

    /// <summary><c>bantime.maxtime</c>: the longest an increased ban may be.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary><c>bantime.rndtime</c>: up to this much random time is added, so a botnet cannot predict the unban.</summary>
    public TimeSpan? RandomTime { get; init; }

    /// <summary><c>bantime.overalljails</c>: count earlier bans of the address in every jail, not only this one.</summary>
    public bool OverallJails { get; init; }

    /// <summary>
    /// How long after its end an earlier ban still counts (fail2ban.conf's <c>dbpurgeage</c>,
    /// default 1 day: fail2ban forgets an address's ban count once its row is purged).
    /// </summary>
    public TimeSpan Memory { get; init; } = TimeSpan.FromDays(1);
}
