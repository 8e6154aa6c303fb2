using System.Net;
using System.Text;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>Formats set elements and timeouts in nft(8) syntax.</summary>
internal static class ElementText
{
    /// <summary>
    /// Longest timeout written; a longer ban is stored without a timeout (permanent until Warden
    /// removes it). nft 1.0.6 refuses a bare millisecond count of 2^32 or more, so timeouts are
    /// written in d/h/m/s/ms units, which it parses as 64-bit.
    /// </summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(10_000);

    /// <summary>Appends <c>timeout 1d2h3m4s5ms</c> (with a leading space), or nothing for a permanent element.</summary>
    public static void AppendTimeout(StringBuilder text, TimeSpan? remaining)
    {
        if (remaining is not { } left || left >= MaxTimeout)
        {
            return;
        }

        var ms = Math.Max(1, (long)Math.Ceiling(left.TotalMilliseconds));
        text.Append(" timeout ");
        AppendUnit(text, ms / 86_400_000, 'd');
        AppendUnit(text, ms / 3_600_000 % 24, 'h');
        AppendUnit(text, ms / 60_000 % 60, 'm');
        AppendUnit(text, ms / 1000 % 60, 's');
        if (ms % 1000 != 0)
        {
            text.Append(ms % 1000).Append("ms");
        }
    }

    /// <summary>Appends an address range: one address, or <c>first-last</c>.</summary>
    public static void AppendRange(StringBuilder text, UInt128 first, UInt128 last, bool v6)
    {
        text.Append(ToAddress(first, v6));
        if (last != first)
        {
            text.Append('-').Append(ToAddress(last, v6));
        }
    }

    /// <summary>The address as an unsigned number (IPv4 in the low 32 bits).</summary>
    public static UInt128 ToNumber(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>The last address of a network.</summary>
    public static UInt128 Last(IPNetwork network, bool v6)
    {
        var bits = v6 ? 128 : 32;
        var hostBits = bits - network.PrefixLength;
        var hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return ToNumber(network.BaseAddress) | hostMask;
    }

    /// <summary>The address of an unsigned number (IPv4 in the low 32 bits).</summary>
    public static IPAddress ToAddress(UInt128 value, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }

    private static void AppendUnit(StringBuilder text, long value, char unit)
    {
        if (value != 0)
        {
            text.Append(value).Append(unit);
        }
    }
}
