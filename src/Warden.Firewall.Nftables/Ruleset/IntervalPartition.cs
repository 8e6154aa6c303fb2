namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// Turns network bans that may nest (a /24 inside a /16) into disjoint ranges for an nftables
/// interval set. The kernel refuses overlapping elements ("interval overlaps with an existing
/// one"), yet nested bans may end at different times; each range gets the latest expiry of the
/// bans covering it, so the kernel's own timeouts end every part of the cover exactly when the
/// last ban over it ends. Prefixes are nested or disjoint, never partly overlapping, so a stack
/// sweep over them sorted by start (outer first) is enough.
/// </summary>
internal static class IntervalPartition
{
    /// <summary>Disjoint, sorted segments; adjacent segments with the same expiry are merged.</summary>
    public static List<IntervalSegment> Compute(IEnumerable<IntervalSegment> networks)
    {
        var sorted = networks.OrderBy(n => n.First).ThenByDescending(n => n.Last).ToList();
        var result = new List<IntervalSegment>(sorted.Count);
        var stack = new Stack<(UInt128 Last, DateTimeOffset? Effective)>();
        UInt128 position = 0;
        var exhausted = false;

        foreach (var network in sorted)
        {
            while (stack.Count > 0 && stack.Peek().Last < network.First)
            {
                Close(stack.Pop());
            }

            if (stack.Count > 0 && stack.Peek().Last < network.Last)
            {
                // Not laminar (cannot happen for prefixes): keep the cover, never drop a ban.
                throw new ArgumentException("networks overlap without nesting", nameof(networks));
            }

            if (stack.Count > 0 && !exhausted && position < network.First)
            {
                Emit(position, network.First - 1, stack.Peek().Effective);
            }

            position = network.First;
            exhausted = false;
            var effective = stack.Count > 0 ? Later(stack.Peek().Effective, network.Expires) : network.Expires;
            stack.Push((network.Last, effective));
        }

        while (stack.Count > 0)
        {
            Close(stack.Pop());
        }

        return result;

        void Close((UInt128 Last, DateTimeOffset? Effective) open)
        {
            if (!exhausted && position <= open.Last)
            {
                Emit(position, open.Last, open.Effective);
            }

            if (open.Last == UInt128.MaxValue)
            {
                exhausted = true;
            }
            else if (!exhausted)
            {
                position = UInt128.Max(position, open.Last + 1);
            }
        }

        void Emit(UInt128 first, UInt128 last, DateTimeOffset? expires)
        {
            if (result.Count > 0 && result[^1].Last + 1 == first && result[^1].Expires == expires)
            {
                result[^1] = result[^1] with { Last = last };
            }
            else
            {
                result.Add(new IntervalSegment(first, last, expires));
            }
        }
    }

    /// <summary>The later of two expiries; <c>null</c> (permanent) is later than any time.</summary>
    public static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null || b is null ? null : (a > b ? a : b);
}
