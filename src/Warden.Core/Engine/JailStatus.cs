namespace Warden.Core.Engine;

/// <summary>A snapshot of one jail's counters.</summary>
/// <param name="Name">The jail.</param>
/// <param name="BansInForce">Bans of the jail in force now.</param>
/// <param name="Tracked">Addresses with failures counted but not (yet) banned.</param>
/// <param name="Failures">Failures counted since start.</param>
/// <param name="Bans">Bans made since start.</param>
/// <param name="Ignored">Failures of allowlisted addresses.</param>
/// <param name="Refused">Bans refused by the allowlist guard.</param>
/// <param name="Stale">Failures older than findtime when read.</param>
public sealed record JailStatus(string Name, int BansInForce, int Tracked, long Failures, long Bans, long Ignored, long Refused, long Stale)
{
    /// <summary>The ids of the log sources the jail reads (files watched, journal matches).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>True when the jail observes: its bans are "would ban" records, never sent to a firewall.</summary>
    public bool Observe { get; init; }
}
