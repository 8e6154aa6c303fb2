using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// A snapshot of a log and its rotated generations, every one opened, oldest first, the file at the
/// log's path last. Opening them all at once pins each to its content: a rotation that renames
/// them again while Warden catches up cannot make it read one twice or skip one. The caller
/// takes the files it keeps and disposes the snapshot, which closes the rest.
/// </summary>
internal sealed class Generations : IDisposable
{
    private const int Attempts = 5;
    private readonly List<LogFile> _files;

    private Generations(List<LogFile> files, LogFile? current)
    {
        _files = files;
        Current = current;
    }

    /// <summary>All files, oldest first; <see cref="Current"/> (when it exists) is last.</summary>
    public IReadOnlyList<LogFile> Files => _files;

    /// <summary>The file at the log's path, if there is one.</summary>
    public LogFile? Current { get; }

    /// <summary>
    /// Opens the generations of <paramref name="path"/>; <paramref name="hint"/> is one more
    /// candidate (the name a checkpoint's file had, e.g. a symlink's former target), placed just
    /// before the current file.
    /// </summary>
    public static Generations Open(string sourceId, string path, string? hint)
    {
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = TryOpen(sourceId, path, hint);
            if (snapshot is not null || attempt == Attempts)
            {
                return snapshot ?? TryOpen(sourceId, path, hint, verify: false)!;
            }
        }
    }

    /// <summary>Removes a file from the snapshot so that disposing it leaves the file open.</summary>
    public LogFile Take(LogFile file)
    {
        _files.Remove(file);
        return file;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }

        _files.Clear();
    }

    private static Generations? TryOpen(string sourceId, string path, string? hint, bool verify = true)
    {
        var directory = Path.GetDirectoryName(path) ?? "/";
        var baseName = Path.GetFileName(path);
        var names = RotatedNames.List(directory, baseName).ToList();

        // Only a name no rotation lists (a symlink's former target) is placed by the hint; a
        // listed name (auth.log.1) holds a newer file after every rotation.
        var extra = hint is not null && hint != path && !names.Contains(hint);
        if (extra)
        {
            names.Add(hint!);
        }

        var opened = new List<(LogFile File, long Order, int Number, string Name)>();
        LogFile? current = null;
        try
        {
            // The path first, then numbered names from .1 up: logrotate shifts from the highest
            // number down and renames the log to .1 last, so a file that moves while this runs
            // moves to a name not opened yet, and is still found (in name order it can be missed,
            // and a generation missed while Warden catches up is lost).
            current = LogFile.TryOpen(sourceId, path);
            foreach (var name in names.OrderBy(n => RotatedNames.Number(Path.GetFileName(n), baseName) is var k and > 0 ? k : int.MaxValue))
            {
                if (OpenQuietly(sourceId, name) is { } file)
                {
                    var modified = FileStatus.OfHandle(file.Handle).ModifiedTicks;
                    opened.Add((file, extra && name == hint ? long.MaxValue : modified, RotatedNames.Number(Path.GetFileName(name), baseName), name));
                }
            }
        }
        catch
        {
            current?.Dispose();
            opened.ForEach(o => o.File.Dispose());
            throw;
        }

        if (verify && !StillNamed(opened.Select(o => ((LogFile?)o.File, o.Name)).Append((current, path))))
        {
            // A rotation renamed something between listing and opening: look again.
            current?.Dispose();
            opened.ForEach(o => o.File.Dispose());
            return null;
        }

        // Older first: modification time, then the larger rotation number, then the name (dates).
        var files = opened
            .Where(o => current is null || o.File.Identity != current.Identity)
            .OrderBy(o => o.Order).ThenByDescending(o => o.Number).ThenBy(o => o.Name, StringComparer.Ordinal)
            .DistinctBy(o => o.File.Identity)
            .Select(o => o.File)
            .ToList();
        foreach (var duplicate in opened.Where(o => !files.Contains(o.File)))
        {
            duplicate.File.Dispose();
        }

        if (current is not null)
        {
            files.Add(current);
        }

        return new Generations(files, current);
    }

    private static LogFile? OpenQuietly(string sourceId, string name)
    {
        try
        {
            return LogFile.TryOpen(sourceId, name);
        }
        catch (Core.Ports.LogSourceException)
        {
            // A generation Warden may not read (other owner, not a file) is not one it can resume in.
            return null;
        }
    }

    private static bool StillNamed(IEnumerable<(LogFile? File, string Name)> files)
    {
        foreach (var (file, name) in files)
        {
            var status = FileStatus.OfPath(name);
            if (file?.Identity != status?.Identity)
            {
                return false;
            }
        }

        return true;
    }
}
