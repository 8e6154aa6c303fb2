namespace Warden.Core.Bans;

/// <summary>
/// One log line that counted toward a ban: what an admin reads to answer "why was this address
/// banned". The line is attacker-controlled text; show it, never interpret it.
/// </summary>
/// <param name="Time">The time the line carries (the failure's time).</param>
/// <param name="Source">The log source it was read from (its id: a file path, <c>journal:...</c>), or <c>warden</c> for a ban another jail imposed (recidive).</param>
/// <param name="Line">The line as read (cut to the source's line limit).</param>
public readonly record struct EvidenceLine(DateTimeOffset Time, string Source, string Line);
