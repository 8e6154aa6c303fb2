using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.Ini;
using Warden.Fail2Ban.Jails;

namespace Warden.Cli.Hosting;

/// <summary>Loads a jail's filter: the config directory's filter.d first, then Warden's shipped filters.</summary>
internal static class JailFilters
{
    /// <summary>Loads and compiles the jail's filter; <see cref="FilterDefinition.CreateFilter()"/> gives fresh per-jail instances.</summary>
    /// <exception cref="Fail2Ban.ConfigException">Unknown filter, bad file or regex; located.</exception>
    public static FilterDefinition Load(ConfigLocation location, JailDefinition jail, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(jail);
        var loader = new FilterLoader(location.Directory is { } dir ? [dir] : [], time);
        var origin = new IniValue(jail.Filter, jail.FilterLocation.File, jail.FilterLocation.Line);
        return loader.Load(jail.Filter, new FilterLoadOptions(Journal: jail.LogSource == LogSourceKind.Systemd), origin);
    }
}
