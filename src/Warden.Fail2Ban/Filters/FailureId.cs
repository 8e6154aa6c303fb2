using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Warden.Core.Addresses;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// A failure's id as fail2ban's IPAddr holds it (server/ipdns.py): an address (IPv4-mapped IPv6
/// made IPv4), a network when a CIDR was captured, or raw text (a host name, an F-ID value, an
/// invalid address). <see cref="Text"/> is the normalised form.
/// </summary>
internal readonly record struct FailureId(string Text, IPAddress? Address, int PrefixLength)
{
    /// <summary>Parses like IPAddr(text, cidr): strict inet_pton forms, optional [brackets] or /prefix.</summary>
    /// <param name="text">The captured text.</param>
    /// <param name="family">Restrict to IPv4 or IPv6, or null for either.</param>
    /// <param name="cidr">A captured prefix length, or null.</param>
    public static FailureId Parse(string text, AddressFamily? family, int? cidr)
    {
        var body = text;
        if (body.Length > 2 && body[0] == '[' && body[^1] == ']')
        {
            body = body[1..^1];
        }

        if (cidr is null && family is null)
        {
            var slash = body.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && int.TryParse(body.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
            {
                cidr = prefix;
                body = body[..slash];
            }
        }

        if (!TryParseStrict(body, family, out var address))
        {
            return new FailureId(text, null, 0);
        }

        address = AddressParsing.Normalize(address);
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (cidr is { } bits && bits >= 0 && bits < max)
        {
            var network = AddressParsing.ToNetwork(address, bits);
            return new FailureId(AddressParsing.Format(network), network.BaseAddress, bits);
        }

        return new FailureId(address.ToString(), address, max);
    }

    /// <summary>Raw text, never read as an address (fail2ban's CIDR_RAW).</summary>
    public static FailureId Raw(string text) => new(text, null, 0);

    private static bool TryParseStrict(string text, AddressFamily? family, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return family is null or AddressFamily.InterNetworkV6
                && !text.Contains('%', StringComparison.Ordinal)
                && IPAddress.TryParse(text, out address!)
                && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        if (family == AddressFamily.InterNetworkV6)
        {
            return false;
        }

        // inet_pton(AF_INET): exactly four decimal parts 0-255, no leading zeros.
        Span<byte> bytes = stackalloc byte[4];
        var parts = 0;
        var i = 0;
        while (i <= text.Length && parts < 4)
        {
            var start = i;
            var value = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }

            var length = i - start;
            if (length == 0 || value > 255 || (length > 1 && text[start] == '0'))
            {
                return false;
            }

            bytes[parts++] = (byte)value;
            if (parts < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        if (parts != 4 || i != text.Length)
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
