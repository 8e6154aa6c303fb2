namespace Warden.Core.Fleet;

/// <summary>The receiving side of <c>[fleet]</c> in warden.conf.</summary>
public sealed record FleetPolicyOptions
{
    /// <summary>This node's name; its own entries are never applied.</summary>
    public required string Node { get; init; }

    /// <summary>Jails whose remote bans are applied; <c>null</c> for every jail that runs here.</summary>
    public IReadOnlySet<string>? Accept { get; init; }

    /// <summary>Widest IPv4 network accepted (<c>max_prefix4</c>): a /24 by default, so a peer's /8 is refused.</summary>
    public int MaxPrefix4 { get; init; } = 24;

    /// <summary>Widest IPv6 network accepted (<c>max_prefix6</c>).</summary>
    public int MaxPrefix6 { get; init; } = 48;

    /// <summary>Longest a remote ban lasts here, whatever it says (<c>max_bantime</c>).</summary>
    public TimeSpan MaxBanTime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Entries per second an origin may send over time (<c>rate</c>).</summary>
    public double Rate { get; init; } = 2_000;

    /// <summary>Entries an origin may send at once before the rate applies (<c>burst</c>): a burst of 20,000 bans passes.</summary>
    public double Burst { get; init; } = 20_000;
}
