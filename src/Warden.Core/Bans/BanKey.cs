using System.Buffers.Binary;
using System.Net;

namespace Warden.Core.Bans;

/// <summary>
/// A ban's identity in <see cref="BanBook"/> without any object: the network as a 128-bit number
/// (IPv4 in the low 32 bits), its family and prefix length, and the jail as an index into the
/// book's jail names. 24 bytes inline in the dictionary, instead of a tuple pointing at a string
/// and an <see cref="IPAddress"/> (about 70 bytes more per ban, and an object the GC must trace).
/// </summary>
/// <param name="High">Upper 64 bits of the base address (0 for IPv4).</param>
/// <param name="Low">Lower 64 bits of the base address.</param>
/// <param name="Meta">Jail index (bits 9 and up), IPv6 flag (bit 8), prefix length (bits 0-7).</param>
internal readonly record struct BanKey(ulong High, ulong Low, int Meta)
{
    private const int V6Flag = 1 << 8;

    public int Jail => Meta >> 9;

    public bool IsV6 => (Meta & V6Flag) != 0;

    public int PrefixLength => Meta & 0xff;

    public UInt128 Number => new(High, Low);

    /// <summary>The key of a network, of its own family (an IPv4-mapped network stays IPv6, so it comes back as it was put).</summary>
    public static BanKey Of(int jail, IPNetwork target)
    {
        var (number, v6) = NumberOf(target.BaseAddress, mapV4: false);
        return Of(jail, number, v6, target.PrefixLength);
    }

    public static BanKey Of(int jail, UInt128 number, bool v6, int prefix)
    {
        var masked = number & Mask(v6, prefix);
        return new BanKey((ulong)(masked >> 64), (ulong)masked, (jail << 9) | (v6 ? V6Flag : 0) | prefix);
    }

    /// <summary>
    /// An address as a number and family; the scope id is ignored and, with
    /// <paramref name="mapV4"/>, IPv4-mapped IPv6 counts as IPv4, as
    /// <see cref="Addresses.AddressParsing.Normalize"/> does.
    /// </summary>
    public static (UInt128 Number, bool V6) NumberOf(IPAddress address, bool mapV4 = true)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"not an IP address: {address.AddressFamily}", nameof(address));
        }

        if (written == 4)
        {
            return (BinaryPrimitives.ReadUInt32BigEndian(bytes), false);
        }

        var number = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return mapV4 && address.IsIPv4MappedToIPv6 ? ((uint)number, false) : (number, true);
    }

    /// <summary>True when this network contains the other's base address (same family only).</summary>
    public bool Contains(BanKey other) =>
        IsV6 == other.IsV6 && PrefixLength <= other.PrefixLength && (other.Number & Mask(IsV6, PrefixLength)) == Number;

    /// <summary>True when the two networks share at least one address.</summary>
    public bool Overlaps(BanKey other) => PrefixLength <= other.PrefixLength ? Contains(other) : other.Contains(this);

    /// <summary>The network this key stands for, as a new object.</summary>
    public IPNetwork ToNetwork()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (IsV6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, Number);
            return new IPNetwork(new IPAddress(bytes), PrefixLength);
        }

        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Low);
        return new IPNetwork(new IPAddress(bytes[..4]), PrefixLength);
    }

    private static UInt128 Mask(bool v6, int prefix)
    {
        var hostBits = (v6 ? 128 : 32) - prefix;
        return hostBits >= 128 ? UInt128.Zero : ~((UInt128.One << hostBits) - 1);
    }
}
