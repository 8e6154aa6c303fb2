using Microsoft.Extensions.Logging;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.Core.Ports;
using Warden.Sources.Files;
using Warden.Sources.Firewall.Nflog;

namespace Warden.Cli.Hosting;

/// <summary>
/// Creates the running jails and one log source per distinct log path, bound to every jail that
/// reads it: a file watched by three jails is read once.
/// </summary>
internal static class LogSources
{
    public static (IReadOnlyList<Jail> Jails, IReadOnlyList<SourceBinding> Bindings) Bind(IReadOnlyList<LoadedJail> loaded, ILoggerFactory logs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var jails = new List<Jail>();
        var byPath = new Dictionary<string, (ILogSource Source, List<Jail> Jails)>(StringComparer.Ordinal);
        foreach (var item in loaded)
        {
            var jail = new Jail(item.Definition.Policy, item.CreateFilter());
            jails.Add(jail);
            var options = new FileSourceOptions { UseInotify = item.Definition.Backend != "polling" };
            foreach (var path in item.Definition.LogPaths.Select(Path.GetFullPath))
            {
                if (!byPath.TryGetValue(path, out var entry))
                {
                    entry = (FileLogSource.Create(path, options, time, logs.CreateLogger("Warden.Sources")), []);
                    byPath[path] = entry;
                }

                entry.Jails.Add(jail);
            }

            if (item.Definition.NflogGroup is { } group)
            {
                var key = "nflog:" + group.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!byPath.TryGetValue(key, out var entry))
                {
                    entry = (NflogSource.Create(group, logs.CreateLogger("Warden.Sources.Firewall")), []);
                    byPath[key] = entry;
                }

                entry.Jails.Add(jail);
            }
        }

        return (jails, [.. byPath.Values.Select(e => new SourceBinding(e.Source, e.Jails))]);
    }
}
