namespace Warden.Core.Policy;

/// <summary>
/// A <c>bantime.formula</c>: the increased ban time from the jail's base ban time, the number of
/// earlier bans and the factor. Implementations are pure and thread-safe.
/// </summary>
public interface IBanTimeFormula
{
    /// <summary>The ban time in seconds (fail2ban's <c>ban.Time</c>, <c>ban.Count</c>, <c>banFactor</c>).</summary>
    double Evaluate(double banTimeSeconds, int banCount, double banFactor);
}
