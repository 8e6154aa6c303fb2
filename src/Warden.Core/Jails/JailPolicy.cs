using Warden.Core.Addresses;
using Warden.Core.Detections;
using Warden.Core.Policy;

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

    /// <summary>The protocol the port list applies to (fail2ban's <c>protocol</c>, default <c>tcp</c>).</summary>
    public PortProtocol Protocol { get; init; } = PortProtocol.Tcp;

    /// <summary>Ban time increment for addresses banned before (<c>bantime.increment</c>); <c>null</c> when off.</summary>
    public BanTimeIncrement? Increment { get; init; }

    /// <summary>When several banned addresses of one prefix become a prefix ban; off unless set.</summary>
    public PrefixAggregation Aggregation { get; init; } = PrefixAggregation.Off;

    /// <summary>How failures are counted within findtime (<c>findtime_window</c>); sliding unless set.</summary>
    public FindTimeWindow Window { get; init; } = FindTimeWindow.Sliding;

    /// <summary>
    /// An observing jail (<c>observe = true</c>, or every jail under <c>[warden] mode = shadow</c>):
    /// it detects, decides and records as any other, but its bans are "would ban" records that never
    /// reach a firewall, for running beside the tool that guards the host today.
    /// </summary>
    public bool Observe { get; init; }

    /// <summary>Log lines kept per failing address for the ban's <see cref="Bans.Ban.Matches"/> (fail2ban's <c>maxmatches</c>); 0 keeps none.</summary>
    public int MaxMatches { get; init; }

    /// <summary>
    /// Log lines kept with each ban as its <see cref="Bans.Ban.Evidence"/>, the newest ones when
    /// more counted (fail2ban's <c>dbmaxmatches</c>, default 10, in fail2ban.conf: the matches its
    /// database keeps per ban); 0 keeps none.
    /// </summary>
    public int EvidenceLines { get; init; } = 10;

    /// <summary>
    /// Host names of <c>ignoreip</c>: resolved by the host at load and again periodically; the
    /// addresses found are the jail's <see cref="Jail.ResolvedIgnore"/>.
    /// </summary>
    public IReadOnlyList<string> IgnoreHosts { get; init; } = [];

    /// <summary>
    /// A recidive jail: instead of reading a log, it counts every ban another jail imposes as one
    /// failure of the banned address (fail2ban's filter.d/recidive.conf reads its own "Ban" log lines).
    /// </summary>
    public bool CountsBans { get; init; }

    /// <summary>
    /// A port-scan jail: instead of counting failures up to maxretry, it counts the distinct
    /// destination ports (or addresses) each source touched within findtime; null for other jails.
    /// </summary>
    public PortScanPolicy? PortScan { get; init; }
}
