using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>Builds firewall jails and bans for backend tests.</summary>
public static class TestBans
{
    public static FirewallJail Jail(string name, params int[] ports) =>
        new(name, [.. ports.Select(p => new PortRange(p, p))], PortProtocol.Tcp);

    public static Ban Of(string jail, string target, TimeSpan? duration, DateTimeOffset? start = null)
    {
        if (!AddressParsing.TryParseNetwork(target, out var network))
        {
            throw new ArgumentException("bad target " + target, nameof(target));
        }

        var now = start ?? DateTimeOffset.UtcNow;
        return new Ban(jail, network, now, duration is { } d ? now + d : null, BanOrigin.Manual, 0);
    }

    /// <summary>Distinct addresses 10.a.b.c starting at <paramref name="first"/>.</summary>
    public static IEnumerable<string> Hosts(int count, int first = 1) =>
        Enumerable.Range(first, count).Select(i => new IPAddress(new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i }).ToString());
}
