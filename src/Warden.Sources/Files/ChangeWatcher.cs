namespace Warden.Sources.Files;

/// <summary>
/// Wakes a reader when something changes in the directories it watches (inotify through
/// <see cref="FileSystemWatcher"/>), or after a poll interval anyway. Watching directories rather
/// than files sees renames, creations and writes to rotated names alike. Where inotify is not
/// available (instance limit reached, directory missing), the reader just polls.
/// </summary>
internal sealed class ChangeWatcher : IDisposable
{
    private readonly Dictionary<string, FileSystemWatcher?> _watchers = new(StringComparer.Ordinal);
    private readonly bool _enabled;
    private TaskCompletionSource _signal = NewSignal();

    /// <summary>Creates a watcher; <paramref name="enabled"/> false makes it a pure poller.</summary>
    public ChangeWatcher(bool enabled) => _enabled = enabled;

    /// <summary>Directories where inotify could not be set up.</summary>
    public int Failed => _watchers.Values.Count(w => w is null);

    /// <summary>Watches exactly <paramref name="directories"/> from now on (existing ones are kept, others dropped).</summary>
    public void Watch(IReadOnlyCollection<string> directories)
    {
        if (!_enabled)
        {
            return;
        }

        foreach (var gone in _watchers.Keys.Where(d => !directories.Contains(d)).ToList())
        {
            _watchers[gone]?.Dispose();
            _watchers.Remove(gone);
        }

        foreach (var directory in directories)
        {
            if ((!_watchers.TryGetValue(directory, out var watcher) || watcher is null) && Directory.Exists(directory))
            {
                _watchers[directory] = TryWatch(directory);
            }
        }
    }

    /// <summary>Completes at the next change or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        if (!signal.Task.IsCompleted)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, time, stop.Token);
            await Task.WhenAny(signal.Task, delay);
            await stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Re-arm before the caller reads, so a change during its read wakes the next wait.
        Interlocked.CompareExchange(ref _signal, NewSignal(), signal);
    }

    /// <summary>Wakes the current or next wait.</summary>
    public void Wake() => Volatile.Read(ref _signal).TrySetResult();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher?.Dispose();
        }

        _watchers.Clear();
    }

    private FileSystemWatcher? TryWatch(string directory)
    {
        var watcher = new FileSystemWatcher
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        try
        {
            watcher.Path = directory;
            watcher.Changed += (_, _) => Wake();
            watcher.Created += (_, _) => Wake();
            watcher.Deleted += (_, _) => Wake();
            watcher.Renamed += (_, _) => Wake();
            watcher.Error += (_, _) => Wake();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // No inotify here (directory gone, instance limit): the poll interval covers it.
            watcher.Dispose();
            return null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
