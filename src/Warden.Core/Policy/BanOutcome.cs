using Warden.Core.Bans;

namespace Warden.Core.Policy;

/// <summary>What became of a ban asked for from outside (<see cref="BanDecisions.BanAsync(string, System.Net.IPNetwork, TimeSpan?, Bans.BanOrigin, string?, CancellationToken)"/>).</summary>
/// <param name="Ban">The ban imposed, when it was.</param>
/// <param name="Refusal">Why the guard refused it, when it did.</param>
/// <param name="UnknownJail">The jail asked for, when no such jail runs.</param>
public sealed record BanOutcome(Ban? Ban, BanRefusal? Refusal, string? UnknownJail)
{
    /// <summary>The ban is in force.</summary>
    public static BanOutcome Banned(Ban ban) => new(ban, null, null);

    /// <summary>The guard refused the ban.</summary>
    public static BanOutcome Refused(BanRefusal refusal) => new(null, refusal, null);

    /// <summary>No jail of that name runs.</summary>
    public static BanOutcome NoSuchJail(string jail) => new(null, null, jail);
}
