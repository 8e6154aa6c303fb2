namespace Warden.Core.Engine;

/// <summary>A snapshot of the daemon's counters (<see cref="BanEngine.StatusAsync"/>).</summary>
public sealed record EngineStatus(
    string Firewall,
    IReadOnlyList<JailStatus> Jails,
    int BansInForce,
    long Lines,
    long Commits,
    long FirewallErrors,
    long StoreErrors)
{
    /// <summary>Every log source: lines read, lines cut, lines dropped, when the last line came.</summary>
    public IReadOnlyList<SourceStatus> Sources { get; init; } = [];
}

/// <summary>One log source's health.</summary>
/// <param name="Id">The source's id (<c>file:/var/log/auth.log</c>, <c>journal:...</c>).</param>
/// <param name="Lines">Lines read since start.</param>
/// <param name="Cut">Over-long lines cut.</param>
/// <param name="LastLine">When the last line came; <c>null</c> before the first.</param>
public sealed record SourceStatus(string Id, long Lines, long Cut, DateTimeOffset? LastLine)
{
    /// <summary>Lines the source lost before the engine read them (<see cref="Ports.ILogSource.Dropped"/>).</summary>
    public long Dropped { get; init; }

    /// <summary>Places where data the source had not read yet was gone (<see cref="Metrics.SourceStats.Lost"/>).</summary>
    public long Lost { get; init; }
}
