using Warden.Core.Engine;

namespace Warden.Web.Api;

/// <summary>Answer of <c>GET /api/status</c>.</summary>
public sealed record StatusDto(
    string Version,
    DateTimeOffset Started,
    string Firewall,
    int BansInForce,
    long Lines,
    long Commits,
    long FirewallErrors,
    long StoreErrors,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    IReadOnlyList<JailStatus> Jails)
{
    /// <summary>The API view of the engine's status.</summary>
    public static StatusDto From(EngineStatus status, string version, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(status);
        // Resident memory and managed heap, so a flood's effect on memory can be watched from outside.
        return new StatusDto(version, started, status.Firewall, status.BansInForce, status.Lines, status.Commits, status.FirewallErrors, status.StoreErrors, Environment.WorkingSet, GC.GetTotalMemory(false), status.Jails);
    }
}
