using Microsoft.Extensions.Logging;
using Warden.Core.Engine;
using Warden.Core.Jails;

namespace Warden.Cli.Hosting;

/// <summary>Creates the running jails and one log source per distinct log path, bound to the jails reading it.</summary>
internal static class Sources
{
    public static (IReadOnlyList<Jail> Jails, IReadOnlyList<SourceBinding> Bindings) Bind(IReadOnlyList<LoadedJail> loaded, ILoggerFactory logs, TimeProvider time) =>
        throw new NotSupportedException("log sources are being merged");
}
