using Microsoft.Extensions.Logging;
using Warden.Actions.Command;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.Core.Ports;
using Warden.Fail2Ban.Jails;
using Warden.Sources.Files;
using Warden.Sources.Firewall.Nflog;
using Warden.Sources.Journal;
using Warden.Sources.Processes;

namespace Warden.Cli.Hosting;

/// <summary>
/// Creates the running jails and their log sources, one per distinct source, bound to every jail
/// that reads it: a file watched by three jails is read once. A jail reads its <c>logpath</c>
/// entries (files, globs, <c>-</c> for standard input), or the journal with its filter's
/// journalmatch (<c>backend = systemd</c>), plus its <c>logcommand</c>'s output. A jail with an
/// <c>ignorecommand</c> gets it as its ignore check.
/// </summary>
internal static class LogSources
{
    private const string Journalctl = "journalctl";

    // fail2ban gives ignorecommand no timeout of its own; a hung one must not stop the loop for ever.
    private static readonly TimeSpan IgnoreCommandTimeout = TimeSpan.FromSeconds(60);

    public static (IReadOnlyList<Jail> Jails, IReadOnlyList<SourceBinding> Bindings) Bind(IReadOnlyList<LoadedJail> loaded, ILoggerFactory logs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(logs);
        var log = logs.CreateLogger("Warden.Sources");
        var jails = new List<Jail>();
        var byId = new Dictionary<string, (ILogSource Source, List<Jail> Jails)>(StringComparer.Ordinal);
        foreach (var item in loaded)
        {
            var ignoreCheck = item.Definition.IgnoreCommand is { } command
                ? new CommandIgnoreCheck(command, IgnoreCommandTimeout, logs.CreateLogger("Warden.Actions"))
                : null;
            var jail = new Jail(item.Definition.Policy, item.CreateFilter(logs.CreateLogger("Warden.Filters")), ignoreCheck);
            jails.Add(jail);
            foreach (var source in For(item, log, time))
            {
                if (!byId.TryGetValue(source.Id, out var entry))
                {
                    entry = (source, []);
                    byId[source.Id] = entry;
                }
                else if (source is JournalLogSource && entry.Jails.All(j => j.Policy.FindTime < jail.Policy.FindTime))
                {
                    // A shared journal source looks back as far as the longest findtime of its jails.
                    entry = (source, entry.Jails);
                    byId[source.Id] = entry;
                }

                entry.Jails.Add(jail);
            }

            if (item.Definition.NflogGroup is { } group)
            {
                var key = "nflog:" + group.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!byId.TryGetValue(key, out var entry))
                {
                    entry = (NflogSource.Create(group, logs.CreateLogger("Warden.Sources.Firewall")), []);
                    byId[key] = entry;
                }

                entry.Jails.Add(jail);
            }
        }

        return (jails, [.. byId.Values.Select(e => new SourceBinding(e.Source, e.Jails))]);
    }

    /// <summary>What a jail reads, for <c>warden check</c>.</summary>
    public static string Describe(LoadedJail jail)
    {
        ArgumentNullException.ThrowIfNull(jail);
        var definition = jail.Definition;
        if (definition.Policy.CountsBans)
        {
            return "bans of the other jails";
        }

        var parts = new List<string>();
        if (definition.Sources.Journal)
        {
            var where = definition.Sources.JournalPath ?? (definition.Sources.JournalFiles.Count > 0 ? string.Join(' ', definition.Sources.JournalFiles) : "the system journal");
            parts.Add($"journal ({where}) matching {(jail.JournalMatch.Terms.Count == 0 ? "everything" : jail.JournalMatch.ToString())}");
        }
        else
        {
            parts.AddRange(definition.LogPaths.Select(p => p == "-" ? "standard input" : p));
        }

        if (definition.Sources.Command.Count > 0)
        {
            parts.Add("output of: " + string.Join(' ', definition.Sources.Command));
        }

        if (definition.NflogGroup is { } group)
        {
            parts.Add($"nflog:{group}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>The journalctl found on PATH, or <c>null</c>.</summary>
    public static string? FindJournalctl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, Journalctl))
            .FirstOrDefault(File.Exists);

    private static IEnumerable<ILogSource> For(LoadedJail item, ILogger log, TimeProvider time)
    {
        var definition = item.Definition;
        var sources = definition.Sources;
        if (sources.Journal)
        {
            yield return JournalLogSource.Create(
                new JournalOptions
                {
                    Match = item.JournalMatch,
                    Directory = sources.JournalPath,
                    Files = sources.JournalFiles,
                    Journalctl = Journalctl,
                    FirstRunLookBack = definition.Policy.FindTime,
                },
                log,
                time);
        }
        else
        {
            var options = new FileSourceOptions { UseInotify = definition.LogSource != LogSourceKind.Polling };
            foreach (var path in definition.LogPaths)
            {
                yield return path == "-"
                    ? StandardInputLogSource.Create()
                    : FileSources.ForLogPath(path, options with { StartAtEnd = !definition.HeadPaths.Contains(path) }, time, log);
            }
        }

        if (sources.Command.Count > 0)
        {
            yield return CommandLogSource.Create(sources.Command);
        }
    }
}
