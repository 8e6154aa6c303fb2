using Warden.Core.Addresses;
using Warden.Core.Engine;

namespace Warden.Web.Api;

/// <summary>Answer of <c>GET /api/show/ADDRESS</c>: every recorded ban of the address or network, and its failures counted now.</summary>
/// <param name="Address">The address or network asked about.</param>
/// <param name="Bans">Its bans, newest first.</param>
/// <param name="Failures">Its failures still counted, oldest first.</param>
public sealed record ShowDto(string Address, IReadOnlyList<PastBanDto> Bans, IReadOnlyList<FailureDto> Failures)
{
    /// <summary>The API view of a report at <paramref name="now"/>.</summary>
    public static ShowDto From(AddressReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ShowDto(
            AddressParsing.Format(report.Target),
            [.. report.Bans.Select(b => PastBanDto.From(b, now))],
            [.. report.Failures.Select(FailureDto.From)]);
    }
}
