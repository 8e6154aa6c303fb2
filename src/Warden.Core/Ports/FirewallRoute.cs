namespace Warden.Core.Ports;

/// <summary>One backend and the jails whose bans it enforces.</summary>
/// <param name="Firewall">The backend (the native nftables backend, a command action ...).</param>
/// <param name="Jails">Names of the jails it receives.</param>
/// <param name="Adapt">How the backend sees a jail (e.g. an allports action drops the port list); <c>null</c> for as is.</param>
public sealed record FirewallRoute(IFirewall Firewall, IReadOnlyCollection<string> Jails, Func<FirewallJail, FirewallJail>? Adapt = null)
{
    /// <summary>The backend's drift check (the native backends have one); <c>null</c> when it cannot notice drift.</summary>
    public IFirewallMonitor? Monitor { get; init; }
}
