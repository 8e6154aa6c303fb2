using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Engine;
using Warden.Core.Jails;

namespace Warden.Cli.Hosting;

/// <summary>
/// Resolves the host names of the jails' <c>ignoreip</c> at start and again every
/// <see cref="Interval"/> (fail2ban caches such lookups for 5 minutes, server/ipdns.py), and hands
/// the addresses to the engine, which lifts any ban they now cover.
/// </summary>
internal static partial class IgnoreHosts
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Resolves names; a name that does not resolve is reported through <paramref name="unresolved"/>.</summary>
    public static async Task<AddressSet> ResolveAsync(IEnumerable<string> names, Action<string, string> unresolved, CancellationToken cancellationToken)
    {
        var networks = new List<IPNetwork>();
        foreach (var name in names)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(LookupTimeout);
            try
            {
                foreach (var address in await Dns.GetHostAddressesAsync(name, timeout.Token))
                {
                    networks.Add(AddressParsing.HostNetwork(address));
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                unresolved(name, ex.Message);
            }
        }

        return new AddressSet(networks);
    }

    /// <summary>Keeps the engine's resolved addresses fresh until cancelled.</summary>
    public static async Task RefreshAsync(BanEngine engine, IReadOnlyList<Jail> jails, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        var withHosts = jails.Where(j => j.Policy.IgnoreHosts.Count > 0).ToList();
        if (withHosts.Count == 0)
        {
            return;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var jail in withHosts)
                {
                    var addresses = await ResolveAsync(jail.Policy.IgnoreHosts, (name, error) => Log.Unresolved(log, jail.Name, name, error), cancellationToken);
                    var lifted = await engine.SetResolvedIgnoreAsync(jail.Name, addresses, cancellationToken);
                    Log.Resolved(log, jail.Name, addresses.Networks.Count, lifted.Count);
                }

                await Task.Delay(Interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "[{Jail}] ignoreip host name {Name} does not resolve: {Error}")]
        public static partial void Unresolved(ILogger logger, string jail, string name, string error);

        [LoggerMessage(21, LogLevel.Debug, "[{Jail}] ignoreip host names resolved to {Count} addresses; {Lifted} bans lifted")]
        public static partial void Resolved(ILogger logger, string jail, int count, int lifted);
    }
}
