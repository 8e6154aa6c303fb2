using Warden.Core.Bans;

namespace Warden.Core.Ports;

/// <summary>
/// A kernel firewall backend (nftables, ipset + iptables, pf, command actions). A backend owns
/// only the objects it creates (its table, sets, chain, anchor) and never touches anything else.
/// Calls come from one engine loop at a time; implementations need not be thread-safe.
/// </summary>
public interface IFirewall
{
    /// <summary>The name the backend is registered under (<c>nftables</c>, <c>pf</c>, ...).</summary>
    string Name { get; }

    /// <summary>
    /// True when the kernel itself removes a ban at its expiry (nftables and ipset timeouts), so
    /// the engine need not call <see cref="UnbanAsync"/> for expired bans.
    /// </summary>
    bool ExpiresBans { get; }

    /// <summary>
    /// Makes the backend's objects exist for exactly these jails and hold exactly these bans,
    /// replacing whatever its own objects held before. Atomic where the backend allows it (one
    /// nftables transaction), so there is no moment without the bans. Used at start and to
    /// repair drift.
    /// </summary>
    /// <exception cref="FirewallException">The backend refused the change.</exception>
    Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken);

    /// <summary>Adds bans in one batch. Banning a target already banned extends or shortens it to the new expiry.</summary>
    /// <exception cref="FirewallException">The backend refused the change.</exception>
    Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken);

    /// <summary>Removes bans in one batch; a ban the firewall no longer holds is not an error.</summary>
    /// <exception cref="FirewallException">The backend refused the change.</exception>
    Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken);

    /// <summary>Removes every object the backend created (used on a stop with flush, and by tests).</summary>
    Task RemoveAllAsync(CancellationToken cancellationToken);
}
