using Microsoft.Extensions.Logging;

namespace Warden.TestKit;

/// <summary>An <see cref="ILogger"/> writing lines (to xUnit's test output) with milliseconds since its creation.</summary>
public sealed class TestOutputLogger(Action<string> writeLine) : ILogger
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        try
        {
            writeLine($"{_clock.ElapsedMilliseconds,6} ms {logLevel} {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished.
        }
    }
}
