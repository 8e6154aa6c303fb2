using System.Net;
using System.Net.NetworkInformation;
using Warden.Core.Addresses;

namespace Warden.Cli.Hosting;

/// <summary>
/// The addresses no ban may ever cover: loopback, the host's own addresses (fail2ban's
/// <c>ignoreself</c>) and warden.conf's allowlist.
/// </summary>
internal static class HostAddresses
{
    public static AddressSet Allowlist(WardenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var networks = new List<IPNetwork>
        {
            AddressParsing.ToNetwork(IPAddress.Loopback, 8),
            AddressParsing.HostNetwork(IPAddress.IPv6Loopback),
        };
        if (settings.IgnoreSelf)
        {
            networks.AddRange(Own().Select(AddressParsing.HostNetwork));
        }

        return new AddressSet(networks).Union(settings.Allowlist);
    }

    private static IEnumerable<IPAddress> Own()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                yield return unicast.Address;
            }
        }
    }
}
