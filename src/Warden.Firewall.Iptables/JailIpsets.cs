using System.Net;
using System.Net.Sockets;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>
/// The two ipsets of one jail, <c>warden-JAIL-4</c> and <c>warden-JAIL-6</c> (hash:net, so
/// single addresses and networks share one set; nested networks may coexist, unlike in an
/// nftables interval set). ipset names hold at most 31 characters (IPSET_MAXNAMELEN).
/// </summary>
internal sealed record JailIpsets(FirewallJail Jail, string Base)
{
    /// <summary>Every set Warden creates starts with this.</summary>
    public const string Prefix = "warden-";

    /// <summary>Suffix of the set a whole-state apply fills before swapping it in.</summary>
    public const string TemporarySuffix = "~";

    public string V4 => $"{Prefix}{Base}-4";

    public string V6 => $"{Prefix}{Base}-6";

    public string For(bool v6) => v6 ? V6 : V4;

    public static bool IsV6(IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;

    public static JailIpsets For(FirewallJail jail)
    {
        ArgumentNullException.ThrowIfNull(jail);
        return new JailIpsets(jail, BaseName(jail.Name));
    }

    internal static string BaseName(string jail)
    {
        // 31 - "warden-".Length - "-4~".Length = 21.
        if (jail.Length is > 0 and <= 21 && jail.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            return jail;
        }

        var clean = new string([.. jail.Take(12).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        return $"{clean}.{StableHash.Of(jail):x8}";
    }
}
