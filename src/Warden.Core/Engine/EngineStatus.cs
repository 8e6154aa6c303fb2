namespace Warden.Core.Engine;

/// <summary>A snapshot of the daemon's counters (<see cref="BanEngine.StatusAsync"/>).</summary>
public sealed record EngineStatus(
    string Firewall,
    IReadOnlyList<JailStatus> Jails,
    int BansInForce,
    long Lines,
    long Commits,
    long FirewallErrors,
    long StoreErrors);
