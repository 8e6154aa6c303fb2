using Warden.Core.Addresses;

namespace Warden.Core.Engine;

/// <summary>Settings of the engine itself (not of a jail).</summary>
public sealed record EngineOptions
{
    /// <summary>Addresses no ban may ever cover (the host's own addresses, a global allowlist).</summary>
    public AddressSet Allowlist { get; init; } = AddressSet.Empty;

    /// <summary>How often expiries, evictions and firewall retries are checked.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most lines processed before a commit when lines keep arriving.</summary>
    public int MaxLinesPerCommit { get; init; } = 20_000;

    /// <summary>Random numbers in [0, 1) for <c>bantime.rndtime</c>; tests give a fixed sequence.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>
    /// How long the store keeps a ban (and its evidence) after it ended (<c>[warden] history</c>,
    /// 30 days by default); <c>null</c> keeps every ban. Escalation (<c>bantime.increment</c>)
    /// sees only bans still kept.
    /// </summary>
    public TimeSpan? History { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Longest wait before retrying a firewall that failed.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
