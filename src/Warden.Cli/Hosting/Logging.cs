using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Warden.Linux.Journal;

namespace Warden.Cli.Hosting;

/// <summary>
/// The daemon's logging: to the journal with fields when systemd connected stderr to it
/// (<c>$JOURNAL_STREAM</c>), else to stderr, one line per event.
/// </summary>
internal static class Logging
{
    /// <summary>Journal logging when stderr is the journal, console logging otherwise.</summary>
    public static ILoggerFactory ForDaemon(LogLevel level) =>
        JournalSocket.IsStandardErrorJournal(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))
            ? ToJournal(new JournalSocket(), level)
            : Create(level);

    /// <summary>Logging to the journal at <paramref name="journal"/>.</summary>
    public static ILoggerFactory ToJournal(JournalSocket journal, LogLevel level) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddProvider(new JournalLoggerProvider(journal, level)));

    /// <summary>Console logging to stderr.</summary>
    public static ILoggerFactory Create(LogLevel level) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
                options.UseUtcTimestamp = false;
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));

    public static bool TryParseLevel(string text, out LogLevel level)
    {
        level = text.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.None,
        };
        return level != LogLevel.None;
    }
}
