using Microsoft.Extensions.Logging;

namespace Warden.TestKit;

/// <summary>An <see cref="ILogger"/> that keeps every line (level, event id, text, exception), for tests about what is logged.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<LoggedLine> _lines = [];

    /// <summary>The lines logged so far, in order.</summary>
    public IReadOnlyList<LoggedLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_lines)
        {
            _lines.Add(new LoggedLine(logLevel, eventId.Id, formatter(state, exception), exception));
        }
    }
}
