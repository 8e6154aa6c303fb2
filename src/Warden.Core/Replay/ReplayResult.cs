namespace Warden.Core.Replay;

/// <summary>What a replay counted, per jail and per log (the bans went to the replay's observer as they were made).</summary>
/// <param name="Jails">Per jail, in configuration order.</param>
/// <param name="Logs">Lines read per log, in the order given.</param>
public sealed record ReplayResult(IReadOnlyList<ReplayJailSummary> Jails, IReadOnlyList<ReplayLogSummary> Logs)
{
    /// <summary>Lines read from every log.</summary>
    public long Lines => Logs.Sum(l => l.Lines);
}

/// <summary>One jail's counts in a replay.</summary>
/// <param name="Name">The jail.</param>
/// <param name="Failures">Failures counted (not those of banned, ignored or stale addresses).</param>
/// <param name="Bans">Bans made.</param>
/// <param name="Ignored">Failures of ignored or allowlisted addresses.</param>
/// <param name="Refused">Bans the allowlist guard refused.</param>
public sealed record ReplayJailSummary(string Name, long Failures, long Bans, long Ignored, long Refused);

/// <summary>One log's count in a replay.</summary>
/// <param name="Name">The log.</param>
/// <param name="Lines">Lines read.</param>
public sealed record ReplayLogSummary(string Name, long Lines);
