using Warden.Core.Detection;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Jails;

namespace Warden.Cli.Hosting;

/// <summary>Loads a jail's filter: the config directory's filter.d first, then Warden's shipped filters.</summary>
internal static class Filters
{
    public static Func<ILineFilter> Load(ConfigLocation location, JailDefinition jail, TimeProvider time) =>
        throw new ConfigException(jail.FilterLocation.File, jail.FilterLocation.Line, "the filter engine is being merged");
}
