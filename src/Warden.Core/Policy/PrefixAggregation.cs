namespace Warden.Core.Policy;

/// <summary>
/// When a jail bans a whole prefix instead of single addresses: after <see cref="Threshold"/>
/// distinct addresses of one prefix were banned within the jail's findtime. An IPv6 host usually
/// holds a whole /64 and can hop through it at will, so banning addresses one by one never ends;
/// IPv4 /24 aggregation is opt-in (a /24 often holds unrelated users). Immutable.
/// </summary>
public sealed record PrefixAggregation
{
    /// <summary>No aggregation for either family.</summary>
    public static PrefixAggregation Off { get; } = new() { IPv6Prefix = null, IPv4Prefix = null };

    /// <summary>The IPv6 prefix length to aggregate to (default 64), or <c>null</c> for none.</summary>
    public int? IPv6Prefix { get; init; } = 64;

    /// <summary>The IPv4 prefix length to aggregate to (e.g. 24), or <c>null</c> for none (default).</summary>
    public int? IPv4Prefix { get; init; }

    /// <summary>Distinct banned addresses of one prefix within findtime that make a prefix ban (at least 2).</summary>
    public int Threshold { get; init; } = 3;

    /// <summary>True when neither family aggregates.</summary>
    public bool IsOff => IPv6Prefix is null && IPv4Prefix is null;
}
