using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// The bans a listing of Warden's table holds, per jail: host sets give one ban per address,
/// interval sets one per network (a range, which the partition of overlapping networks makes,
/// is split back into the fewest networks that cover it exactly). Times come from the
/// element's <c>expires</c> (time left) and <c>timeout</c> (as added), in whole seconds.
/// </summary>
internal static class KernelBans
{
    public static List<Ban> From(TableListing listing, IReadOnlyList<FirewallJail> jails, DateTimeOffset now)
    {
        var bans = new List<Ban>();
        foreach (var jail in jails)
        {
            var sets = JailSets.For(jail);
            foreach (var name in new[] { sets.Host4, sets.Host6, sets.Net4, sets.Net6 })
            {
                if (!listing.Elements.TryGetValue(name, out var elements))
                {
                    continue;
                }

                foreach (var element in elements)
                {
                    foreach (var target in Targets(element.Value))
                    {
                        bans.Add(ToBan(jail.Name, target, element, now));
                    }
                }
            }
        }

        return bans;
    }

    private static Ban ToBan(string jail, IPNetwork target, ListedElement element, DateTimeOffset now)
    {
        DateTimeOffset? expires = element.ExpiresSeconds is { } left ? now.AddSeconds(left) : null;
        var start = element.TimeoutSeconds is { } full && element.ExpiresSeconds is { } rest && full >= rest ? now.AddSeconds(rest - full) : now;
        return new Ban(jail, target, start, expires, BanOrigin.Jail, 0);
    }

    /// <summary>The networks an element stands for; none when its text is not an address, a prefix or a range.</summary>
    internal static IEnumerable<IPNetwork> Targets(string value)
    {
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (AddressParsing.TryParseNetwork(value, out var network))
            {
                yield return network;
            }

            yield break;
        }

        if (!IPAddress.TryParse(value.AsSpan(0, dash), out var first) || !IPAddress.TryParse(value.AsSpan(dash + 1), out var last)
            || first.AddressFamily != last.AddressFamily)
        {
            yield break;
        }

        var v6 = first.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var bits = v6 ? 128 : 32;
        var low = ElementText.ToNumber(first);
        var high = ElementText.ToNumber(last);
        while (low <= high)
        {
            // The largest block aligned at low that does not pass high.
            var size = low == 0 ? bits : Math.Min(bits, (int)UInt128.TrailingZeroCount(low));
            while (size > 0 && (size == 128 || low + ((UInt128.One << size) - 1) > high))
            {
                size--;
            }

            yield return new IPNetwork(ElementText.ToAddress(low, v6), bits - size);
            var next = low + (UInt128.One << size);
            if (next == 0 || next < low)
            {
                yield break;
            }

            low = next;
        }
    }
}
