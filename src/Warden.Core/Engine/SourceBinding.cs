using Warden.Core.Jails;
using Warden.Core.Metrics;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>A log source and the jails that read it: one reader per file, however many jails watch it.</summary>
public sealed record SourceBinding(ILogSource Source, IReadOnlyList<Jail> Jails)
{
    /// <summary>What the engine has read from the source.</summary>
    public SourceStats Stats { get; } = new(Source.Id);
}
