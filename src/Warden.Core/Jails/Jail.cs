using Warden.Core.Addresses;
using Warden.Core.Detections;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Jails;

/// <summary>
/// A running jail: its policy, its filter and its failure counts. Owned by the engine loop; not
/// thread-safe except for the counters in <see cref="Stats"/>.
/// </summary>
public sealed class Jail
{
    /// <summary>Creates a jail.</summary>
    /// <param name="policy">The ban policy.</param>
    /// <param name="filter">The filter that reads the jail's lines (a fresh instance: filters keep state).</param>
    /// <param name="ignoreCheck">fail2ban's <c>ignorecommand</c>, asked before each ban; <c>null</c> for none.</param>
    /// <param name="trackerCapacity">Most failure ids tracked at once.</param>
    public Jail(JailPolicy policy, ILineFilter filter, IIgnoreCheck? ignoreCheck = null, int trackerCapacity = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(filter);
        Policy = policy;
        Filter = filter;
        Stats = new JailStats(policy.Name, policy.Observe);
        IgnoreCheck = ignoreCheck;
        Tracker = new FailureTracker(policy.MaxRetry, policy.FindTime, trackerCapacity, Math.Max(policy.MaxMatches, policy.EvidenceLines), policy.Window);
        Aggregator = policy.Aggregation.IsOff ? null : new PrefixAggregator(policy.Aggregation, policy.FindTime);
        Scan = policy.PortScan is { } scan ? new PortScanDetector(scan, policy.FindTime, Math.Min(trackerCapacity, 100_000)) : null;
    }

    /// <summary>The jail's name.</summary>
    public string Name => Policy.Name;

    /// <summary>The ban policy.</summary>
    public JailPolicy Policy { get; }

    /// <summary>The filter that reads this jail's lines.</summary>
    public ILineFilter Filter { get; }

    /// <summary>Failure counts per id.</summary>
    public FailureTracker Tracker { get; }

    /// <summary>Counters, safe to read from any thread.</summary>
    public JailStats Stats { get; }

    /// <summary>fail2ban's <c>ignorecommand</c>, asked before a ban; <c>null</c> when the jail has none.</summary>
    public IIgnoreCheck? IgnoreCheck { get; }

    /// <summary>Addresses of the <see cref="JailPolicy.IgnoreHosts"/> as last resolved; replaced on the engine loop.</summary>
    public AddressSet ResolvedIgnore { get; internal set; } = AddressSet.Empty;

    /// <summary>Everything this jail never bans: <c>ignoreip</c> networks and resolved host names.</summary>
    public AddressSet Ignore => ResolvedIgnore.IsEmpty ? Policy.Ignore : Policy.Ignore.Union(ResolvedIgnore);

    /// <summary>Distinct ports and addresses per source, for a port-scan jail (<see cref="JailPolicy.PortScan"/>); null otherwise.</summary>
    public PortScanDetector? Scan { get; }

    internal PrefixAggregator? Aggregator { get; }
}
