using Warden.Core.Detection;
using Warden.Fail2Ban.Jails;

namespace Warden.Cli.Hosting;

/// <summary>A valid jail with its compiled filter; <see cref="CreateFilter"/> gives a fresh stateful instance.</summary>
internal sealed record LoadedJail(JailDefinition Definition, Func<ILineFilter> CreateFilter);
