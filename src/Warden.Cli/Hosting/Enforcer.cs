using Warden.Core.Ports;

namespace Warden.Cli.Hosting;

/// <summary>The firewall the engine drives and, when it can notice drift, its monitor (for the native backends, the same object).</summary>
internal sealed record Enforcer(IFirewall Firewall, IFirewallMonitor? Monitor)
{
    /// <summary>A backend that checks itself for drift.</summary>
    public static Enforcer Monitored<T>(T firewall)
        where T : IFirewall, IFirewallMonitor => new(firewall, firewall);
}
