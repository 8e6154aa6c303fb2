namespace Warden.Web.Api;

/// <summary>Body of <c>POST /api/bans</c>.</summary>
/// <param name="Jail">The jail to ban in.</param>
/// <param name="Target">Address or network.</param>
/// <param name="Duration">Seconds; omitted for the jail's bantime, negative for permanent (fail2ban's -1).</param>
public sealed record BanRequest(string Jail, string Target, double? Duration);
