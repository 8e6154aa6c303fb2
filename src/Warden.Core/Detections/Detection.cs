using System.Net;

namespace Warden.Core.Detections;

/// <summary>
/// One failure found by a filter in a log line: who failed (the failure id, normally the
/// address), when (the line's own timestamp), and the named fields the filter captured.
/// </summary>
/// <param name="Id">The failure id: the normalised address, or the filter's F-ID value.</param>
/// <param name="Address">The address to ban, when the id is or carries one.</param>
/// <param name="Time">The time written in the log line (or the read time when the line has none).</param>
/// <param name="Line">The line (or joined multi-line buffer) that produced the failure.</param>
/// <param name="Fields">Named captures (<c>user</c>, any F-NAME), empty when there are none.</param>
public sealed record Detection(
    string Id,
    IPAddress? Address,
    DateTimeOffset Time,
    string Line,
    IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>No captured fields.</summary>
    public static IReadOnlyDictionary<string, string> NoFields { get; } = new Dictionary<string, string>();

    /// <summary>How many attempts this one detection stands for (fail2ban's <c>&lt;F-ATTEMPTS&gt;</c>-less default is 1).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>The address the packet was sent to, for firewall-log detections; null for application logs.</summary>
    public IPAddress? Destination { get; init; }

    /// <summary>The packet's destination port, for firewall-log detections of TCP/UDP/SCTP; null otherwise.</summary>
    public int? DestinationPort { get; init; }
}
