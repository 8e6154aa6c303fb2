using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;

namespace Warden.Core.Policy;

/// <summary>
/// The one place every ban passes before it reaches the book, the store or a firewall, whatever
/// its origin (a jail, an admin, another host, a prefix aggregation, a restore): a ban of every
/// address (<c>0.0.0.0/0</c>, <c>::/0</c>) is refused, and so is any ban whose target shares even
/// one address with the global allowlist (loopback, the host's own addresses, warden.conf's
/// allowlist) or with the jail's <c>ignoreip</c>. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// fail2ban checks ignoreip only for the failing address (server/filter.py inIgnoreIPList), so a
/// manual <c>banip</c> of a network can still cover an allowlisted host; Warden checks overlap.
/// </remarks>
public sealed class BanGuard
{
    /// <summary>Creates a guard over the global allowlist.</summary>
    public BanGuard(AddressSet allowlist)
    {
        Allowlist = allowlist ?? throw new ArgumentNullException(nameof(allowlist));
    }

    /// <summary>Addresses no ban of any jail may cover.</summary>
    public AddressSet Allowlist { get; }

    /// <summary>Says why <paramref name="ban"/> must not be imposed, or <c>null</c> when it may be.</summary>
    /// <param name="ban">The ban to check.</param>
    /// <param name="jailIgnore">The jail's own allowlist (ignoreip, resolved host names).</param>
    public BanRefusal? Check(Ban ban, AddressSet jailIgnore)
    {
        ArgumentNullException.ThrowIfNull(ban);
        ArgumentNullException.ThrowIfNull(jailIgnore);
        return Check(ban.Target, jailIgnore);
    }

    /// <summary>Says why a ban of <paramref name="target"/> must not be imposed, or <c>null</c>.</summary>
    public BanRefusal? Check(IPNetwork target, AddressSet jailIgnore)
    {
        ArgumentNullException.ThrowIfNull(jailIgnore);
        if (target.PrefixLength == 0)
        {
            return BanRefusal.EveryAddress;
        }

        if (Allowlist.Overlaps(target))
        {
            return BanRefusal.Allowlisted;
        }

        return jailIgnore.Overlaps(target) ? BanRefusal.Ignored : null;
    }
}
