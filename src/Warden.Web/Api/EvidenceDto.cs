using Warden.Core.Bans;

namespace Warden.Web.Api;

/// <summary>A log line that counted toward a ban, as the API shows it; <paramref name="Line"/> is attacker-controlled text.</summary>
/// <param name="Time">The time the line carries.</param>
/// <param name="Source">The log source's id.</param>
/// <param name="Line">The line.</param>
public sealed record EvidenceDto(DateTimeOffset Time, string Source, string Line)
{
    /// <summary>The API view of an evidence line.</summary>
    public static EvidenceDto From(EvidenceLine line) => new(line.Time, line.Source, line.Line);
}
