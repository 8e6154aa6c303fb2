using System.Globalization;
using Microsoft.Extensions.Logging;
using Warden.Linux.Journal;

namespace Warden.Cli.Hosting;

/// <summary>
/// Logs to systemd-journald with priorities and fields, for a daemon whose stderr systemd connected
/// to the journal: every placeholder of a message becomes a field (<c>{Jail}</c> is <c>JAIL=</c>,
/// a ban's <c>{Target}</c> and a failure's <c>{Address}</c> are <c>ADDRESS=</c>), so
/// <c>journalctl -u warden JAIL=sshd</c> and <c>ADDRESS=192.0.2.7</c> select. An entry the journal
/// does not take goes to stderr as one line instead; nothing is dropped.
/// </summary>
internal sealed class JournalLoggerProvider(JournalSocket journal, LogLevel level) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new JournalLogger(journal, categoryName, level);

    /// <inheritdoc />
    public void Dispose() => journal.Dispose();

    private sealed class JournalLogger(JournalSocket journal, string category, LogLevel level) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= level && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var fields = new List<KeyValuePair<string, string>>(8)
            {
                new("MESSAGE", exception is null ? message : message + "\n" + exception),
                new("PRIORITY", Priority(logLevel).ToString(CultureInfo.InvariantCulture)),
                new("SYSLOG_IDENTIFIER", "warden"),
                new("WARDEN_CATEGORY", category),
            };
            if (eventId.Id != 0)
            {
                fields.Add(new("WARDEN_EVENT_ID", eventId.Id.ToString(CultureInfo.InvariantCulture)));
            }

            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (name, value) in values)
                {
                    if (name != "{OriginalFormat}" && value is not null)
                    {
                        fields.Add(new(name is "Target" or "Address" ? "ADDRESS" : JournalSocket.FieldName(name), Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                    }
                }
            }

            if (!journal.TrySend(fields))
            {
                Console.Error.WriteLine($"<{Priority(logLevel)}>{category}: {message}");
            }
        }

        // syslog(3) priorities, as sd-daemon(3)'s SD_ERR ... SD_DEBUG.
        private static int Priority(LogLevel level) => level switch
        {
            LogLevel.Critical => 2,
            LogLevel.Error => 3,
            LogLevel.Warning => 4,
            LogLevel.Information => 6,
            _ => 7,
        };
    }
}
