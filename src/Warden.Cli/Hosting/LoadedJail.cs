using Microsoft.Extensions.Logging;
using Warden.Core.Detections;
using Warden.Fail2Ban.Jails;
using Warden.Sources.Journal;

namespace Warden.Cli.Hosting;

/// <summary>A valid jail with its compiled filter; <see cref="CreateFilter"/> gives a fresh stateful instance that logs to the logger it is given.</summary>
internal sealed record LoadedJail(JailDefinition Definition, Func<ILogger, ILineFilter> CreateFilter)
{
    /// <summary>The filter's journalmatch, applied when the jail reads the journal (<c>backend = systemd</c>).</summary>
    public JournalMatch JournalMatch { get; init; } = JournalMatch.All;
}
