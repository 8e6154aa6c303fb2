using Warden.Core.Addresses;
using Warden.Core.Detections;
using Warden.Sources.Firewall.Lines;

namespace Warden.Sources.Firewall;

/// <summary>
/// The filter of a port-scan jail (<c>filter = portscan</c>): turns every inbound packet a
/// firewall log line describes into a <see cref="Detection"/> carrying its destination address
/// and port, for the engine's port-scan detector. Reads Linux kernel log lines of nftables and
/// iptables <c>log</c> rules (also as the NFLOG source renders its packets) and pf log lines as
/// tcpdump prints them. Stateless, so one instance may serve several jails; not thread-safe only
/// in that the detections collection belongs to the caller.
/// </summary>
/// <remarks>
/// Detections are stamped with the time the line is read: kernel lines carry an uptime or a
/// year-less syslog stamp and pf lines a delta, none of which is a reliable wall-clock time.
/// Sources start at the end of a log, so no backlog is replayed as if it were current.
/// </remarks>
public sealed class FirewallLogFilter(TimeProvider time) : ILineFilter
{
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <inheritdoc />
    public void Process(string line, ICollection<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(detections);
        if (!KernelLogLine.TryParse(line, out var packet) && !PfLogLine.TryParse(line, out packet))
        {
            return;
        }

        var source = AddressParsing.Normalize(packet.Source);
        detections.Add(new Detection(source.ToString(), source, _time.GetUtcNow(), line, Detection.NoFields)
        {
            Destination = AddressParsing.Normalize(packet.Destination),
            DestinationPort = packet.DestinationPort,
        });
    }
}
