using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Ports;

namespace Warden.Sources.Files;

/// <summary>
/// Follows one log file through appends and every usual rotation (rename+create, copytruncate,
/// delete+recreate, a re-pointed symlink), waking on inotify with a poll as safety net. Its
/// checkpoint names the file by device, inode and a fingerprint of its first bytes plus an
/// offset, so a restart resumes exactly after the last line handed out, even when the file was
/// rotated meanwhile (the rest of <c>auth.log.1</c> is read, then the new <c>auth.log</c>).
/// </summary>
/// <remarks>
/// <see cref="ReadAsync"/> may be called again after it ended or failed (the engine retries), but
/// not concurrently. Lines are at most <see cref="FileSourceOptions.MaxLineBytes"/> bytes; memory
/// per source is bounded by that and the read buffer.
/// </remarks>
public sealed partial class FileLogSource : ILogSource
{
    private readonly string _path;
    private readonly FileSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    private FileLogSource(string path, FileSourceOptions options, TimeProvider time, ILogger log)
    {
        _path = path;
        _options = options;
        _time = time;
        _log = log;
        Id = "file:" + path;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>Creates a source for <paramref name="path"/> (made absolute); nothing is opened until it is read.</summary>
    public static FileLogSource Create(string path, FileSourceOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineBytes, 1);
        return new FileLogSource(Path.GetFullPath(path), options, time, logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var follower = new FileFollower(_path, Id, _options, _time, _log);
        using var watcher = new ChangeWatcher(_options.UseInotify);
        watcher.Watch(follower.Directories);
        follower.Start(checkpoint);
        if (follower.StartNote is { } note)
        {
            Log.Resumed(_log, Id, note);
        }

        if (_options.UseInotify && watcher.Failed > 0)
        {
            Log.Polling(_log, Id, _options.PollInterval);
        }

        yield return new LogBatch([], follower.Checkpoint) { Lost = follower.TakeLost() };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (follower.Read() is { } batch)
            {
                yield return batch;
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (follower.Check() is { } wait)
            {
                watcher.Watch(follower.Directories);
                await watcher.WaitAsync(wait, _time, cancellationToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2000, LogLevel.Warning, "Source {Source}: {Note}")]
        public static partial void Resumed(ILogger logger, string source, string note);

        [LoggerMessage(2001, LogLevel.Information, "Source {Source}: inotify unavailable, polling every {Interval}")]
        public static partial void Polling(ILogger logger, string source, TimeSpan interval);
    }
}
