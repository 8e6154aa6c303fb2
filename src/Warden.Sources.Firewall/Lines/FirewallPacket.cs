using System.Net;

namespace Warden.Sources.Firewall.Lines;

/// <summary>What a firewall log says of one inbound packet: who sent it where.</summary>
/// <param name="Source">The sender, the address a ban would cover.</param>
/// <param name="Destination">The address the packet was for.</param>
/// <param name="DestinationPort">The TCP/UDP/SCTP/DCCP destination port; null for ICMP and other protocols.</param>
internal readonly record struct FirewallPacket(IPAddress Source, IPAddress Destination, int? DestinationPort);
