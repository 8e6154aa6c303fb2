using Microsoft.Extensions.Logging;
using Warden.Core.Ports;

namespace Warden.Sources.Files;

/// <summary>Builds the source for one <c>logpath</c> entry of a jail.</summary>
public static class FileSources
{
    /// <summary>
    /// A <see cref="GlobLogSource"/> when <paramref name="logPath"/> has wildcards, else a
    /// <see cref="FileLogSource"/>. fail2ban's optional second word is honoured:
    /// <c>/var/log/auth.log head</c> reads a first run from the start, <c>tail</c> (the default
    /// here) from the end.
    /// </summary>
    /// <exception cref="ArgumentException">The entry is empty.</exception>
    public static ILogSource ForLogPath(string logPath, FileSourceOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(logPath);
        ArgumentNullException.ThrowIfNull(options);
        // fail2ban (client/jailreader.py) splits the last word off as the option; a path with
        // spaces stays whole here unless it ends in one of the two options.
        var entry = logPath.Trim();
        if (entry.Length == 0)
        {
            throw new ArgumentException("empty logpath", nameof(logPath));
        }

        var space = entry.LastIndexOfAny([' ', '\t']);
        var option = space < 0 ? null : entry[(space + 1)..];
        if (option is "head" or "tail")
        {
            options = options with { StartAtEnd = option == "tail" };
            entry = entry[..space].TrimEnd();
        }

        return GlobPattern.HasWildcards(entry)
            ? GlobLogSource.Create(entry, options, time, logger)
            : FileLogSource.Create(entry, options, time, logger);
    }
}
