namespace Warden.Core.Ports;

/// <summary>
/// Optional capability of an <see cref="IFirewall"/>: noticing that the backend's own objects
/// were changed by someone else (a firewall reload, <c>nft flush ruleset</c>, <c>iptables -F</c>,
/// Docker rewriting its chains). The engine calls it on its tick and, on drift, applies the whole
/// desired state again with <see cref="IFirewall.ApplyStateAsync"/>.
/// </summary>
public interface IFirewallMonitor
{
    /// <summary>
    /// Cheap check (never a listing of every ban) of whether the backend's objects are still as its
    /// last calls left them. Returns <c>null</c> when in sync, otherwise what is wrong, for the log.
    /// Before the first <see cref="IFirewall.ApplyStateAsync"/> there is nothing to check: <c>null</c>.
    /// </summary>
    /// <exception cref="FirewallException">The check itself failed.</exception>
    Task<string?> CheckAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Completes when the backend has seen a new sign of drift (nftables' change notifications),
    /// so the engine checks at once instead of at its next tick. Completes once per sign; the
    /// default never completes, leaving the tick as the only trigger.
    /// </summary>
    Task WhenChangedAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
}
