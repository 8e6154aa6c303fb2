using Warden.Core.Ports;

namespace Warden.Core.Jails;

/// <summary>
/// What makes a port scan: a source that touched more than <paramref name="MaxPorts"/> distinct
/// destination ports, or more than <paramref name="MaxAddresses"/> distinct destination
/// addresses, within the jail's findtime. Zero turns a limit off; at least one is on.
/// </summary>
/// <param name="MaxPorts">Distinct destination ports a source may touch within findtime (jail option <c>maxports</c>).</param>
/// <param name="MaxAddresses">Distinct destination addresses a source may touch within findtime (<c>maxaddresses</c>).</param>
public sealed record PortScanPolicy(int MaxPorts, int MaxAddresses)
{
    /// <summary>The rate-limited logging rule the firewall backend installs to feed this jail; null when the operator logs by himself.</summary>
    public ScanLogRule? LogRule { get; init; }
}
