using System.Diagnostics.Metrics;
using Warden.Core.Engine;
using Warden.Core.Jails;

namespace Warden.Core.Metrics;

/// <summary>
/// The observable instruments of one running engine: bans in force per jail, the time of each
/// source's last line, and the packets and bytes the firewall's own rules dropped per jail. They live on a meter of their own (named as <see cref="CoreMeter"/>), made when the
/// engine starts and disposed when it stops, so after a reload the old jails and sources leave
/// the exporter instead of reporting their last values for ever. Callbacks read counters the
/// loop writes with atomics; they may run on any thread.
/// </summary>
internal sealed class EngineGauges : IDisposable
{
    private readonly Meter _meter = new(CoreMeter.Name);

    public EngineGauges(IReadOnlyList<Jail> jails, IReadOnlyList<SourceBinding> sources, FirewallSync firewall)
    {
        var firewallTag = new KeyValuePair<string, object?>("firewall", firewall.Name);
        _meter.CreateObservableCounter(
            "firewall_dropped_packets",
            () => firewall.Drops.Select(d => new Measurement<long>(d.Packets, new("jail", d.Jail), firewallTag)),
            "{packet}",
            "Packets dropped or rejected by the jail's rules in the firewall, read every 5 s; starts again at 0 when the rules are made again");
        _meter.CreateObservableCounter(
            "firewall_dropped_bytes",
            () => firewall.Drops.Select(d => new Measurement<long>(d.Bytes, new("jail", d.Jail), firewallTag)),
            "By",
            "Bytes of those packets");
        _meter.CreateObservableGauge(
            "bans_in_force",
            () => jails.Select(j => new Measurement<int>(j.Stats.InForce, j.Stats.JailTag, j.Stats.ModeTag)),
            "{ban}",
            "Bans in force in the jail (mode=shadow: would-be bans of a jail that only observes)");
        _meter.CreateObservableGauge(
            "source_last_line_timestamp_seconds",
            () => LastLines(sources),
            "s",
            "Unix time at which the last line of the source was read; absent until the first line since start");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<double>> LastLines(IReadOnlyList<SourceBinding> sources)
    {
        foreach (var source in sources)
        {
            if (source.Stats.LastLine is { } last)
            {
                yield return new Measurement<double>(last.ToUnixTimeMilliseconds() / 1000.0, source.Stats.SourceTag);
            }
        }
    }
}
