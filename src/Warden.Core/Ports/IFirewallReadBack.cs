using Warden.Core.Bans;

namespace Warden.Core.Ports;

/// <summary>
/// Optional capability of an <see cref="IFirewall"/>: listing the bans its own objects hold now,
/// so a start with a lost or stale state store keeps what the kernel still enforces instead of
/// emptying it with the whole-state apply. Read-only; costs one listing of every element, so it
/// is called once, at start. Same threading as <see cref="IFirewall"/>.
/// </summary>
public interface IFirewallReadBack
{
    /// <summary>
    /// The bans held for <paramref name="jails"/> (objects of other or unknown jails are ignored),
    /// as of <paramref name="now"/>: <see cref="Ban.Expires"/> is <paramref name="now"/> plus the
    /// kernel's remaining timeout, <c>null</c> for an element without one; <see cref="Ban.Start"/>
    /// is when the element was added (inferred from the timeout it was added with, where the
    /// kernel keeps it), else <paramref name="now"/>. Origin is <see cref="BanOrigin.Jail"/> and failures 0, which the
    /// kernel does not keep. Empty when the backend's objects do not exist.
    /// </summary>
    /// <exception cref="FirewallException">The listing failed.</exception>
    Task<IReadOnlyList<Ban>> ReadBansAsync(IReadOnlyList<FirewallJail> jails, DateTimeOffset now, CancellationToken cancellationToken);
}
