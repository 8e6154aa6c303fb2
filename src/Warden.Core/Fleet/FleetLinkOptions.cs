namespace Warden.Core.Fleet;

/// <summary>How the fleet loop paces itself.</summary>
public sealed record FleetLinkOptions
{
    /// <summary>How often own bans in force are published again (<c>republish</c>, anti-entropy).</summary>
    public TimeSpan Republish { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait for a wake-up before reading the log again.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before retrying a bus that failed.</summary>
    public TimeSpan Retry { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most entries read, or published, at once.</summary>
    public int Batch { get; init; } = 1_000;
}
