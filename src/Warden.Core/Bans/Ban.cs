using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Detections;

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
    /// <summary>
    /// The log lines that led to the ban (at most the jail's <c>maxmatches</c>), for command
    /// actions' <c>&lt;matches&gt;</c>; attacker-controlled text. Not persisted: empty after a restore.
    /// </summary>
    public IReadOnlyList<string> Matches { get; init; } = [];

    /// <summary>
    /// The log lines that caused the ban, oldest first, each with its time and source (at most
    /// the jail's <see cref="Jails.JailPolicy.EvidenceLines"/>); empty for manual and fleet bans.
    /// Stored with the ban in its history; not kept in the book, so empty after a restore.
    /// </summary>
    public IReadOnlyList<EvidenceLine> Evidence { get; init; } = [];

    /// <summary>Who made a manual or fleet ban (<c>uid 0</c> over the admin socket, the origin host of a fleet decision); <c>null</c> for a jail's own.</summary>
    public string? By { get; init; }

    /// <summary>
    /// A "would ban" of an observing jail (<see cref="Jails.JailPolicy.Observe"/>): decided and
    /// recorded, never sent to a firewall. Kept in the history, not in the book: a ban restored from
    /// the book is enforced or observed as its jail is configured now.
    /// </summary>
    public bool Observed { get; init; }

    /// <summary>The ban time chosen (after escalation); <c>null</c> for a permanent ban.</summary>
    public TimeSpan? BanTime => Expires is { } expires ? expires - Start : null;

    /// <summary>The filter's named captures of the last failure (<c>&lt;F-USER&gt;</c> ...); attacker-controlled text.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = Detection.NoFields;

    /// <summary>Earlier bans of the target that counted for escalation (fail2ban's <c>&lt;bancount&gt;</c> minus one).</summary>
    public int PriorBans { get; init; }

    /// <summary>True when the ban is in force at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => Expires is null || Expires > now;

    /// <summary>The time left at <paramref name="now"/>; <c>null</c> for a permanent ban, zero once over.</summary>
    public TimeSpan? RemainingAt(DateTimeOffset now) =>
        Expires is { } expires ? (expires > now ? expires - now : TimeSpan.Zero) : null;

    /// <summary>
    /// Two bans are equal when they ban the same way: jail, target, times, origin, count, matches,
    /// captures and step. <see cref="Evidence"/> and <see cref="By"/> are the record of why, kept
    /// in the history and not in the book, so a ban read back from the book equals the one put.
    /// </summary>
    public bool Equals(Ban? other) =>
        other is not null
        && Jail == other.Jail
        && Target.Equals(other.Target)
        && Start == other.Start
        && Expires == other.Expires
        && Origin == other.Origin
        && Failures == other.Failures
        && PriorBans == other.PriorBans
        && ReferenceEquals(Matches, other.Matches)
        && ReferenceEquals(Fields, other.Fields);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Jail, Target, Start, Expires, Origin, Failures, PriorBans);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Jail} {AddressParsing.Format(Target)} until {BanTimeText.Expiry(Expires)} ({Origin})";
}
