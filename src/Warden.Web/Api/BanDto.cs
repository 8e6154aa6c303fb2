using Warden.Core.Addresses;
using Warden.Core.Bans;

namespace Warden.Web.Api;

/// <summary>A ban as the API shows it.</summary>
/// <param name="Jail">The jail holding it.</param>
/// <param name="Target">Address or network (<c>192.0.2.7</c>, <c>2001:db8::/64</c>).</param>
/// <param name="Start">When it began.</param>
/// <param name="Expires">When it ends; <c>null</c> when permanent.</param>
/// <param name="Origin"><c>Jail</c>, <c>Manual</c>, <c>Fleet</c> or <c>Prefix</c>.</param>
/// <param name="Failures">Failures that led to it.</param>
public sealed record BanDto(string Jail, string Target, DateTimeOffset Start, DateTimeOffset? Expires, string Origin, int Failures)
{
    /// <summary>True for a "would ban" of an observing jail (shadow mode): recorded, never in a firewall.</summary>
    public bool WouldBan { get; init; }

    /// <summary>The API view of a ban.</summary>
    public static BanDto From(Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        return new BanDto(ban.Jail, AddressParsing.Format(ban.Target), ban.Start, ban.Expires, ban.Origin.ToString(), ban.Failures) { WouldBan = ban.Observed };
    }
}
