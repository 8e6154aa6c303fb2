using System.Net;
using Warden.Core.Addresses;

namespace Warden.Core.Bans;

/// <summary>
/// A ban of one network (a single address is a /32 or /128) by one jail. Immutable; a longer ban
/// of the same target is a new record that replaces this one.
/// </summary>
/// <param name="Jail">The jail that owns the ban (its firewall set).</param>
/// <param name="Target">The banned network.</param>
/// <param name="Start">When the ban began.</param>
/// <param name="Expires">When it ends; <c>null</c> for a permanent ban (fail2ban's <c>bantime = -1</c>).</param>
/// <param name="Origin">Why it exists.</param>
/// <param name="Failures">Failures counted for it (0 for manual bans).</param>
public sealed record Ban(
    string Jail,
    IPNetwork Target,
    DateTimeOffset Start,
    DateTimeOffset? Expires,
    BanOrigin Origin,
    int Failures)
{
    /// <summary>True when the ban is in force at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => Expires is null || Expires > now;

    /// <summary>The time left at <paramref name="now"/>; <c>null</c> for a permanent ban, zero once over.</summary>
    public TimeSpan? RemainingAt(DateTimeOffset now) =>
        Expires is { } expires ? (expires > now ? expires - now : TimeSpan.Zero) : null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Jail} {AddressParsing.Format(Target)} until {(Expires is { } e ? e.ToString("u") : "forever")} ({Origin})";
}
