using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Ports;

namespace Warden.Sources.Files;

/// <summary>
/// Follows every file a wildcard <c>logpath</c> matches, including files that appear later (read
/// from their start, since all of them was written after Warden started watching). Each file is
/// followed through its rotations as by <see cref="FileLogSource"/>; a name that is a rotated
/// generation of a followed file (<c>app.log.1</c> next to <c>app.log</c>) is not followed on its
/// own, so a pattern like <c>/var/log/app/*</c> does not read rotated lines twice.
/// </summary>
/// <remarks>The checkpoint holds one file checkpoint per path. Same threading contract as <see cref="FileLogSource"/>.</remarks>
public sealed partial class GlobLogSource : ILogSource
{
    private readonly GlobPattern _pattern;
    private readonly FileSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    private GlobLogSource(GlobPattern pattern, FileSourceOptions options, TimeProvider time, ILogger log)
    {
        _pattern = pattern;
        _options = options;
        _time = time;
        _log = log;
        Id = "glob:" + pattern.Pattern;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>Creates a source for a pattern (made absolute); nothing is read until <see cref="ReadAsync"/>.</summary>
    public static GlobLogSource Create(string pattern, FileSourceOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return new GlobLogSource(GlobPattern.Parse(pattern), options, time, logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var followers = new SortedDictionary<string, FileFollower>(StringComparer.Ordinal);
        using var watcher = new ChangeWatcher(_options.UseInotify);
        try
        {
            Start(followers, checkpoint);
            yield return new LogBatch([], Checkpoint(followers));
            var lastScan = _time.GetTimestamp();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var follower in followers.Values)
                {
                    while (follower.Read() is { } batch)
                    {
                        yield return batch with { Checkpoint = Checkpoint(followers) };
                    }
                }

                var wait = _options.PollInterval;
                var ready = false;
                foreach (var follower in followers.Values)
                {
                    if (follower.Check() is { } followerWait)
                    {
                        wait = followerWait < wait ? followerWait : wait;
                    }
                    else
                    {
                        ready = true;
                    }
                }

                if (_time.GetElapsedTime(lastScan) >= _options.PollInterval)
                {
                    lastScan = _time.GetTimestamp();
                    ready |= Scan(followers);
                }

                if (!ready)
                {
                    watcher.Watch([_pattern.Root, .. followers.Values.SelectMany(f => f.Directories)]);
                    await watcher.WaitAsync(wait, _time, cancellationToken);
                }
            }
        }
        finally
        {
            foreach (var follower in followers.Values)
            {
                follower.Dispose();
            }
        }
    }

    private void Start(SortedDictionary<string, FileFollower> followers, string? checkpoint)
    {
        Dictionary<string, string>? saved = null;
        try
        {
            saved = checkpoint is null ? null : GlobCheckpoint.Parse(checkpoint);
        }
        catch (FormatException)
        {
            Log.BadCheckpoint(_log, Id);
        }

        // Saved paths first: a file rotated away while Warden was down still has its tail read.
        foreach (var (path, token) in saved ?? [])
        {
            Add(followers, path, token);
        }

        foreach (var path in Matches(followers))
        {
            // Matched now but not saved: on a first run it is where reading starts (its end),
            // after a restart it appeared while Warden was down (its start).
            Add(followers, path, saved is null ? null : FileCheckpoint.Absent);
        }
    }

    private bool Scan(SortedDictionary<string, FileFollower> followers)
    {
        var added = false;
        foreach (var path in Matches(followers))
        {
            Add(followers, path, FileCheckpoint.Absent);
            added = true;
        }

        return added;
    }

    private List<string> Matches(SortedDictionary<string, FileFollower> followers)
    {
        var matched = _pattern.Expand();
        var bases = matched.Concat(followers.Keys).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return matched.Where(p => !followers.ContainsKey(p) && !bases.Any(b => RotatedNames.IsGeneration(Path.GetFileName(p), b))).ToList();
    }

    private void Add(SortedDictionary<string, FileFollower> followers, string path, string? token)
    {
        var follower = new FileFollower(path, Id, _options, _time, _log);
        try
        {
            follower.Start(token);
        }
        catch
        {
            follower.Dispose();
            throw;
        }

        if (follower.StartNote is { } note)
        {
            Log.Resumed(_log, Id, path, note);
        }

        followers[path] = follower;
    }

    private static string Checkpoint(SortedDictionary<string, FileFollower> followers) =>
        GlobCheckpoint.Format(followers.ToDictionary(f => f.Key, f => f.Value.Checkpoint, StringComparer.Ordinal));

    private static partial class Log
    {
        [LoggerMessage(2010, LogLevel.Warning, "Source {Source}: the saved position is not a glob checkpoint; starting at the end of every file")]
        public static partial void BadCheckpoint(ILogger logger, string source);

        [LoggerMessage(2011, LogLevel.Warning, "Source {Source}, {Path}: {Note}")]
        public static partial void Resumed(ILogger logger, string source, string path, string note);
    }
}
