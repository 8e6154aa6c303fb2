namespace Warden.Core.Ports;

/// <summary>
/// Optional capability of an <see cref="IFirewall"/>: what its own drop rules have matched, per
/// jail, read from the kernel's rule counters (nft(8), "COUNTER STATEMENT"). Read-only and cheap
/// (the rules, not the set elements, are listed), so the engine reads it every few seconds for
/// the metrics. A whole-state apply may recreate the rules and start the counts again at zero.
/// Same threading as <see cref="IFirewall"/>.
/// </summary>
public interface IFirewallCounters
{
    /// <summary>Packets and bytes dropped (or rejected) per jail; empty when the backend's objects do not exist.</summary>
    /// <exception cref="FirewallException">The listing failed.</exception>
    Task<IReadOnlyList<JailDrops>> ReadDropsAsync(CancellationToken cancellationToken);
}
