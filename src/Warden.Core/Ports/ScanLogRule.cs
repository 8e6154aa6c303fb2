using Warden.Core.Jails;

namespace Warden.Core.Ports;

/// <summary>
/// A logging rule a firewall backend installs in its own objects for a port-scan jail: new
/// inbound TCP SYN and UDP packets are sent to NFLOG group <paramref name="Group"/>, at most
/// <paramref name="RatePerSecond"/> per second, except to <paramref name="ExcludedPorts"/>
/// (the host's open services, whose traffic is not a scan and would only cost log volume).
/// </summary>
/// <param name="Group">The NFLOG group (0-65535) Warden reads (nft(8) <c>log group</c>).</param>
/// <param name="RatePerSecond">Packets logged per second at most (nft(8) <c>limit rate</c>), so a flood cannot flood Warden.</param>
/// <param name="ExcludedPorts">Destination ports never logged.</param>
public sealed record ScanLogRule(int Group, int RatePerSecond, IReadOnlyList<PortRange> ExcludedPorts);
