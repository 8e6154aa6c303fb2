using Warden.Core.Addresses;

namespace Warden.Core.Jails;

/// <summary>
/// The ban policy of one jail, as the engine applies it; built from jail.conf-style settings by
/// the config adapter. Immutable.
/// </summary>
/// <param name="Name">The jail name; also the name of its firewall sets.</param>
/// <param name="MaxRetry">Failures within <paramref name="FindTime"/> that make a ban.</param>
/// <param name="FindTime">The window failures are counted in.</param>
/// <param name="BanTime">How long a ban lasts; <c>null</c> means permanent (fail2ban's -1).</param>
/// <param name="Ignore">Addresses this jail never bans (<c>ignoreip</c>).</param>
public sealed record JailPolicy(
    string Name,
    int MaxRetry,
    TimeSpan FindTime,
    TimeSpan? BanTime,
    AddressSet Ignore)
{
    /// <summary>Destination ports the ban covers; empty means all ports.</summary>
    public IReadOnlyList<PortRange> Ports { get; init; } = [];

    /// <summary>Transport protocol the port list applies to: <c>tcp</c>, <c>udp</c>, <c>sctp</c>, <c>dccp</c> or <c>all</c>.</summary>
    public string Protocol { get; init; } = "tcp";
}
