using System.Net;

namespace Warden.Core.Addresses;

/// <summary>
/// An immutable set of networks (an allowlist such as a jail's <c>ignoreip</c>). Lookups are
/// thread-safe. Answers both "is this address in the set" and "does this network touch the set",
/// the second being what keeps a prefix ban from ever covering an allowlisted address.
/// </summary>
public sealed class AddressSet
{
    private readonly IPNetwork[] _networks;

    /// <summary>Creates a set; duplicates are kept, they do no harm.</summary>
    public AddressSet(IEnumerable<IPNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        _networks = [.. networks];
    }

    /// <summary>The empty set.</summary>
    public static AddressSet Empty { get; } = new([]);

    /// <summary>The networks, in the order they were given.</summary>
    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>True when no network is in the set.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>True when some network of the set contains the address.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = AddressParsing.Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the network and some network of the set share at least one address.</summary>
    public bool Overlaps(IPNetwork network)
    {
        foreach (var member in _networks)
        {
            // Two prefixes overlap exactly when the shorter one contains the other's base address.
            if (member.PrefixLength <= network.PrefixLength ? member.Contains(network.BaseAddress) : network.Contains(member.BaseAddress))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A set holding the networks of both sets.</summary>
    public AddressSet Union(AddressSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new AddressSet(_networks.Concat(other._networks));
    }
}
