using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Warden.Core.Addresses;

/// <summary>
/// Parses addresses and networks the way Warden stores and compares them: IPv4-mapped IPv6
/// addresses (<c>::ffff:192.0.2.1</c>) become plain IPv4, scope ids are dropped, and a network
/// is always in canonical form (host bits cleared). Pure functions, thread-safe.
/// </summary>
public static class AddressParsing
{
    /// <summary>Normalises an address: IPv4-mapped IPv6 becomes IPv4, the IPv6 scope id is dropped.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return new IPAddress(address.GetAddressBytes());
        }

        return address;
    }

    /// <summary>Parses an IPv4 or IPv6 address (no prefix) and normalises it.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        // IPAddress.TryParse accepts "1", "1.2" and "0x7f.1" (inet_aton forms); log lines and
        // configs only ever mean dotted quads or RFC 4291 text, so the looser forms are refused.
        if (text.IsEmpty || (!text.Contains(':') && text.Count('.') != 3) || !IPAddress.TryParse(text, out var parsed))
        {
            address = null;
            return false;
        }

        address = Normalize(parsed);
        return true;
    }

    /// <summary>
    /// Parses <c>ADDRESS</c> or <c>ADDRESS/PREFIX</c>. Host bits under the prefix are cleared, as
    /// fail2ban and the kernel do (<c>192.0.2.7/24</c> means <c>192.0.2.0/24</c>).
    /// </summary>
    public static bool TryParseNetwork(ReadOnlySpan<char> text, out IPNetwork network)
    {
        network = default;
        text = text.Trim();
        var slash = text.IndexOf('/');
        var addressPart = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(addressPart, out var address))
        {
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (!int.TryParse(prefixText, System.Globalization.NumberStyles.None, null, out prefix) || prefix > maxPrefix)
            {
                // fail2ban also accepts a dotted netmask (255.255.255.0) for IPv4.
                if (maxPrefix == 32 && TryParseAddress(prefixText, out var mask) && TryMaskToPrefix(mask, out prefix))
                {
                    network = ToNetwork(address, prefix);
                    return true;
                }

                return false;
            }
        }

        network = ToNetwork(address, prefix);
        return true;
    }

    /// <summary>The network of <paramref name="prefix"/> bits that contains <paramref name="address"/>.</summary>
    public static IPNetwork ToNetwork(IPAddress address, int prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = Normalize(address).GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    /// <summary>A single address as a host network (/32 or /128).</summary>
    public static IPNetwork HostNetwork(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        return new IPNetwork(normalized, normalized.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>True when the network is one single address.</summary>
    public static bool IsHost(IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    /// <summary>Formats a network the short way: a single address without its /32 or /128.</summary>
    public static string Format(IPNetwork network) =>
        IsHost(network) ? network.BaseAddress.ToString() : network.ToString();

    private static bool TryMaskToPrefix(IPAddress mask, out int prefix)
    {
        var bytes = mask.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        prefix = System.Numerics.BitOperations.PopCount(value);
        // A valid netmask is contiguous ones followed by zeros.
        return value == (prefix == 0 ? 0u : uint.MaxValue << (32 - prefix));
    }
}
