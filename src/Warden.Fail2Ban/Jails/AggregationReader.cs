using Warden.Core.Policy;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Reads Warden's prefix aggregation options, which fail2ban does not have (it ignores unknown
/// jail options, so a shared jail.local stays valid for both): <c>aggregate.ipv6 = 64</c> (the
/// default; <c>off</c> disables), <c>aggregate.ipv4 = 24</c> (off by default),
/// <c>aggregate.count = 3</c> distinct banned addresses within findtime.
/// </summary>
internal sealed class AggregationReader(JailReader jail)
{
    public PrefixAggregation Read()
    {
        var v6 = Prefix("aggregate.ipv6", 64, 128);
        var v4 = Prefix("aggregate.ipv4", null, 32);
        var count = jail.Int("aggregate.count", 3, minimum: 2);
        return new PrefixAggregation { IPv6Prefix = v6, IPv4Prefix = v4, Threshold = count };
    }

    private int? Prefix(string key, int? fallback, int max)
    {
        var text = jail.Get(key)?.Trim().TrimStart('/');
        if (text is null)
        {
            return fallback;
        }

        if (text is "off" or "no" or "false" or "0" or "")
        {
            return null;
        }

        // A prefix shorter than /8 (IPv4) or /16 (IPv6) would ban whole providers: refuse it.
        var min = max == 32 ? 8 : 16;
        if (!int.TryParse(text, out var bits) || bits < min || bits >= max)
        {
            jail.Fail(key, $"{key} must be a prefix length from {min} to {max - 1}, or off; not '{text}'");
            return fallback;
        }

        return bits;
    }
}
