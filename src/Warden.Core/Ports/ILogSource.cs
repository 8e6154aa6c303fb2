namespace Warden.Core.Ports;

/// <summary>
/// A stream of log lines (a file followed across rotations, journald, a command's output). Lines
/// arrive in batches, each ending with the checkpoint that resumes reading right after it.
/// </summary>
public interface ILogSource
{
    /// <summary>A stable id, the key its checkpoint is saved under (<c>file:/var/log/auth.log</c>).</summary>
    string Id { get; }

    /// <summary>
    /// Lines lost before the engine read them: a source that hands lines over a bounded queue
    /// (NFLOG, whose packets cannot be read again) drops the newest when the engine falls behind
    /// and counts them here. 0 for a source that never drops (a file waits to be read). Thread-safe.
    /// </summary>
    long Dropped => 0;

    /// <summary>
    /// Reads from <paramref name="checkpoint"/> (a token an earlier batch gave), or from where a
    /// first run starts (the end of a file) when it is <c>null</c>, and keeps following until
    /// cancelled. The first batch may be empty: it carries the starting checkpoint, so lines
    /// written after the start are not lost if the daemon dies before reading any.
    /// </summary>
    /// <exception cref="LogSourceException">The source cannot be read at all (permission, bad path).</exception>
    IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, CancellationToken cancellationToken);
}
