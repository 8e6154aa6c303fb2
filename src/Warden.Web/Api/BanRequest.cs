namespace Warden.Web.Api;

/// <summary>Body of <c>POST /api/bans</c>.</summary>
/// <param name="Jail">The jail to ban in.</param>
/// <param name="Target">Address or network.</param>
/// <param name="Duration">Seconds (at most 100 years); omitted for the jail's bantime, negative for permanent (fail2ban's -1).</param>
/// <param name="Force">Needed for a network wider than /8 (IPv4) or /32 (IPv6).</param>
public sealed record BanRequest(string Jail, string Target, double? Duration, bool Force = false);
