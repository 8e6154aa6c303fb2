namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>One element of an interval set: an address range and when it expires (<c>null</c>: never).</summary>
internal readonly record struct IntervalSegment(UInt128 First, UInt128 Last, DateTimeOffset? Expires);
