namespace Warden.Web.Api;

/// <summary>
/// Everything the dashboard shows, in one document (<c>GET /api/dashboard</c>): the daemon, its
/// jails and sources, the bans in force, bans and failures over 24 hours and 7 days per jail,
/// the top offenders and networks of the last 7 days, and the newest bans with their evidence.
/// </summary>
/// <param name="Version">Warden's version.</param>
/// <param name="Now">When the document was made.</param>
/// <param name="Firewall">The firewall in use.</param>
/// <param name="AllowChanges">True when the page may ban and unban.</param>
/// <param name="Csrf">The token change requests carry in <c>X-Warden-Csrf</c>; empty when changes are off.</param>
/// <param name="Jails">Each jail's counts.</param>
/// <param name="Sources">Each log source's health.</param>
/// <param name="InForce">The bans in force.</param>
/// <param name="Day">24 hours in hourly buckets.</param>
/// <param name="Week">7 days in 6-hour buckets.</param>
/// <param name="TopOffenders">The addresses banned most often in 7 days.</param>
/// <param name="Networks">The /24 and /64 networks with the most bans in 7 days.</param>
/// <param name="Recent">The newest bans (in force or not), with their evidence.</param>
/// <param name="FailuresSince">Since when failures are counted (the process start).</param>
public sealed record DashboardDto(
    string Version,
    DateTimeOffset Now,
    string Firewall,
    bool AllowChanges,
    string Csrf,
    IReadOnlyList<DashboardJailDto> Jails,
    IReadOnlyList<SourceDto> Sources,
    IReadOnlyList<BanDto> InForce,
    TimelineDto Day,
    TimelineDto Week,
    IReadOnlyList<OffenderDto> TopOffenders,
    IReadOnlyList<NetworkDto> Networks,
    IReadOnlyList<PastBanDto> Recent,
    DateTimeOffset FailuresSince);

/// <summary>A jail's counts.</summary>
/// <param name="Name">The jail.</param>
/// <param name="BansInForce">Bans in force.</param>
/// <param name="Failures">Failures counted since start.</param>
/// <param name="Bans">Bans made since start.</param>
/// <param name="Observe">True when the jail only observes ("would ban").</param>
public sealed record DashboardJailDto(string Name, int BansInForce, long Failures, long Bans, bool Observe);

/// <summary>A log source's health.</summary>
/// <param name="Id">The source.</param>
/// <param name="Lines">Lines read since start.</param>
/// <param name="Cut">Over-long lines cut.</param>
/// <param name="LastLine">When the last line came; <c>null</c> before the first.</param>
public sealed record SourceDto(string Id, long Lines, long Cut, DateTimeOffset? LastLine);

/// <summary>Counts per jail in equal buckets, the last one ending now.</summary>
/// <param name="Start">The start of the first bucket.</param>
/// <param name="BucketSeconds">The bucket width.</param>
/// <param name="Series">Per jail: bans and failures per bucket.</param>
public sealed record TimelineDto(DateTimeOffset Start, int BucketSeconds, IReadOnlyList<SeriesDto> Series);

/// <summary>One jail's counts per bucket.</summary>
/// <param name="Jail">The jail.</param>
/// <param name="Bans">Bans that started in each bucket.</param>
/// <param name="Failures">Failures counted in each bucket (since the process start).</param>
public sealed record SeriesDto(string Jail, IReadOnlyList<long> Bans, IReadOnlyList<long> Failures);

/// <summary>An address banned more than once.</summary>
/// <param name="Address">The address.</param>
/// <param name="Bans">Its bans in 7 days.</param>
/// <param name="Jails">The jails that banned it.</param>
/// <param name="Last">Its newest ban.</param>
public sealed record OffenderDto(string Address, int Bans, IReadOnlyList<string> Jails, DateTimeOffset Last);

/// <summary>A /24 or /64 network and the bans of its addresses.</summary>
/// <param name="Network">The network.</param>
/// <param name="Bans">Bans inside it in 7 days.</param>
/// <param name="Addresses">Distinct addresses banned.</param>
public sealed record NetworkDto(string Network, int Bans, int Addresses);
