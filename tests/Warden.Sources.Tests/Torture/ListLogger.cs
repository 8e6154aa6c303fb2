using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Warden.Sources.Tests.Torture;

/// <summary>Keeps what the engine and sources log, to print when a test fails.</summary>
internal sealed class ListLogger : ILogger
{
    // A failing torture run dumps its whole log when WARDEN_TORTURE_LOG names a file.
    private static readonly int Capacity = Environment.GetEnvironmentVariable("WARDEN_TORTURE_LOG") is null ? 2_000 : 1_000_000;
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (logLevel < LogLevel.Information && eventId.Id is < 2000 or >= 3000)
        {
            // The engine's per-failure debug lines would drown the sources' rotation notes.
            return;
        }

        _entries.Enqueue($"{DateTime.UtcNow:HH:mm:ss.ffffff} {logLevel} {formatter(state, exception)} {exception}");
        while (_entries.Count > Capacity)
        {
            _entries.TryDequeue(out _);
        }
    }
}
