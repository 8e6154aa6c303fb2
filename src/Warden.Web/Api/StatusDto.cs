using Warden.Core.Engine;
using Warden.Core.Fleet;

namespace Warden.Web.Api;

/// <summary>Answer of <c>GET /api/status</c>.</summary>
public sealed record StatusDto(
    string Version,
    DateTimeOffset Started,
    string Firewall,
    string ConfigDirectory,
    string StateFile,
    string RegexEngine,
    int BansInForce,
    long Lines,
    long Commits,
    long FirewallErrors,
    long StoreErrors,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    IReadOnlyList<JailStatus> Jails)
{
    /// <summary>The fleet (connected, lag, queued, applied, dropped, peers); <c>null</c> without <c>[fleet]</c>.</summary>
    public FleetStatus? Fleet { get; init; }

    /// <summary>Every log source: lines read, cut and dropped, when the last line came.</summary>
    public IReadOnlyList<SourceStatus> Sources { get; init; } = [];

    /// <summary>The API view of the engine's status.</summary>
    public static StatusDto From(EngineStatus status, ApiOptions options, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(options);
        // Resident memory and managed heap, so a flood's effect on memory can be watched from outside.
        return new StatusDto(options.Version, started, status.Firewall, options.ConfigDirectory, options.StateFile, options.RegexEngine, status.BansInForce, status.Lines, status.Commits, status.FirewallErrors, status.StoreErrors, Environment.WorkingSet, GC.GetTotalMemory(false), status.Jails)
        {
            Fleet = options.Fleet?.Invoke(),
            Sources = status.Sources,
        };
    }
}
