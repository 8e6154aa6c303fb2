using Warden.Web.Api;

namespace Warden.Cli.Output;

/// <summary><c>warden compare --json</c>: fail2ban's bans next to Warden's since <paramref name="Since"/>, jail by jail; <paramref name="Differences"/> counts the addresses only one side banned.</summary>
internal sealed record CompareJson(string Fail2banDatabase, string StateFile, DateTimeOffset Since, int Differences, IReadOnlyList<CompareJailJson> Jails);

/// <summary>One jail: the addresses both banned, those only fail2ban banned, those only Warden banned.</summary>
internal sealed record CompareJailJson(string Name, IReadOnlyList<BothJson> Both, IReadOnlyList<DifferenceJson> OnlyFail2ban, IReadOnlyList<DifferenceJson> OnlyWarden);

/// <summary>An address both banned: when each did, and what Warden banned (the address or a network around it).</summary>
internal sealed record BothJson(string Address, DateTimeOffset Fail2ban, DateTimeOffset Warden, string WardenTarget, bool WouldBan);

/// <summary>An address only one side banned, with why the other did not and the ban's log lines.</summary>
internal sealed record DifferenceJson(string Address, string Target, DateTimeOffset Time, int Failures, string Reason, bool WouldBan, IReadOnlyList<EvidenceDto> Evidence);
