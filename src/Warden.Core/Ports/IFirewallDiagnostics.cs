using Warden.Core.Bans;
using Warden.Core.Diagnostics;

namespace Warden.Core.Ports;

/// <summary>
/// Optional capability of an <see cref="IFirewall"/> (or a wrapper around one): what
/// <c>warden doctor</c> reports about it. Read-only: it may list the backend's objects (a
/// one-off cost) but never changes anything.
/// </summary>
public interface IFirewallDiagnostics
{
    /// <summary>
    /// Whether the backend can run here, whether its objects exist for <paramref name="jails"/>,
    /// and whether they hold <paramref name="bans"/> (the bans in force per the state store).
    /// </summary>
    Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken);
}
