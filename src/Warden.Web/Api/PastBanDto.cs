using Warden.Core.Addresses;
using Warden.Core.Ports;

namespace Warden.Web.Api;

/// <summary>A ban from the history with why it happened (<c>GET /api/show/ADDRESS</c>).</summary>
/// <param name="Jail">The jail.</param>
/// <param name="Target">Address or network.</param>
/// <param name="Start">When it began.</param>
/// <param name="End">When it ended or will end (lifted, superseded or expired); <c>null</c> for a permanent ban in force.</param>
/// <param name="InForce">True while it is in force.</param>
/// <param name="Origin"><c>Jail</c>, <c>Manual</c>, <c>Fleet</c> or <c>Prefix</c>.</param>
/// <param name="By">Who made a manual or fleet ban.</param>
/// <param name="Failures">Failures inside findtime that made it.</param>
/// <param name="Step">The escalation step: earlier bans that counted (<c>bantime.increment</c>).</param>
/// <param name="BanTime">Seconds chosen; <c>null</c> when permanent.</param>
/// <param name="Evidence">The log lines that caused it, oldest first.</param>
public sealed record PastBanDto(
    string Jail,
    string Target,
    DateTimeOffset Start,
    DateTimeOffset? End,
    bool InForce,
    string Origin,
    string? By,
    int Failures,
    int Step,
    double? BanTime,
    IReadOnlyList<EvidenceDto> Evidence)
{
    /// <summary>True for a "would ban" of an observing jail (shadow mode): recorded, never in a firewall.</summary>
    public bool WouldBan { get; init; }

    /// <summary>The API view of a ban from the history at <paramref name="now"/>.</summary>
    public static PastBanDto From(PastBan past, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(past);
        var ban = past.Ban;
        return new PastBanDto(
            ban.Jail,
            AddressParsing.Format(ban.Target),
            ban.Start,
            past.Ended,
            past.Ended is not { } ended || ended > now,
            ban.Origin.ToString(),
            ban.By,
            ban.Failures,
            ban.PriorBans,
            ban.BanTime?.TotalSeconds,
            [.. ban.Evidence.Select(EvidenceDto.From)])
        {
            WouldBan = ban.Observed,
        };
    }
}
