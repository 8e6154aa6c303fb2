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
    // While logrotate shifts a long chain of generations the names move almost all the time: a
    // few quick tries, then up to a tenth of a second more with a pause between tries.
    private const int QuickAttempts = 4;
    private const int Attempts = 100;
    private readonly List<LogFile> _files;

    private Generations(string sourceId, string path, List<LogFile> files, LogFile? current)
    {
        SourceId = sourceId;
        Path = path;
        _files = files;
        Current = current;
    }

    /// <summary>The source these files are read for (for errors).</summary>
    public string SourceId { get; }

    /// <summary>The log's path.</summary>
    public string Path { get; }

    /// <summary>All files, oldest first; <see cref="Current"/> (when it exists) is last.</summary>
    public IReadOnlyList<LogFile> Files => _files;

    /// <summary>The file at the log's path, if there is one.</summary>
    public LogFile? Current { get; }

    /// <summary>
    /// Opens the generations of <paramref name="path"/>; <paramref name="hint"/> is one more
    /// candidate (the name a checkpoint's file had, e.g. a symlink's former target), placed just
    /// before the current file. When names keep moving through every attempt (a long chain shifted
    /// without pause), the snapshot holds every file any attempt saw, so none is missed.
    /// </summary>
    public static Generations Open(string sourceId, string path, string? hint)
    {
        // Every file seen by an attempt that did not verify, one open handle per inode, so that a
        // generation one listing missed while names moved is still in the snapshot.
        var seen = new Dictionary<FileIdentity, Candidate>();
        Sighting? last = null;
        try
        {
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                var sighting = Look(sourceId, path, hint);
                if (sighting.Consistent)
                {
                    last?.Current?.Dispose();
                    Release(seen);
                    return Build(sourceId, path, sighting.Opened, sighting.Current);
                }

                foreach (var candidate in sighting.Opened)
                {
                    Keep(seen, candidate);
                }

                if (last?.Current is { } earlier)
                {
                    // The file at the path a moment ago, renamed since: a generation now.
                    Keep(seen, new Candidate(earlier, FileStatus.OfHandle(earlier.Handle).ModifiedTicks, 0, path));
                }

                last = sighting;
                if (attempt >= QuickAttempts)
                {
                    Thread.Sleep(1);
                }
            }

            var current = last!.Current;
            if (current is not null && seen.Remove(current.Identity, out var twin))
            {
                twin.File.Dispose();
            }

            var union = seen.Values.ToList();
            seen.Clear();
            return Build(sourceId, path, union, current);
        }
        catch
        {
            last?.Current?.Dispose();
            Release(seen);
            throw;
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

    private static void Release(Dictionary<FileIdentity, Candidate> seen)
    {
        foreach (var candidate in seen.Values)
        {
            candidate.File.Dispose();
        }

        seen.Clear();
    }

    private static void Keep(Dictionary<FileIdentity, Candidate> seen, Candidate candidate)
    {
        if (!seen.TryAdd(candidate.File.Identity, candidate))
        {
            candidate.File.Dispose();
        }
    }

    private static Sighting Look(string sourceId, string path, string? hint)
    {
        var directory = System.IO.Path.GetDirectoryName(path) ?? "/";
        var baseName = System.IO.Path.GetFileName(path);
        var names = RotatedNames.List(directory, baseName).ToList();
        var listed = names.ToHashSet(StringComparer.Ordinal);

        // Only a name no rotation lists (a symlink's former target) is placed by the hint; a
        // listed name (auth.log.1) holds a newer file after every rotation.
        var extra = hint is not null && hint != path && !names.Contains(hint);
        if (extra)
        {
            names.Add(hint!);
        }

        var opened = new List<Candidate>();
        LogFile? current = null;
        var vanished = false;
        try
        {
            // The path first, then numbered names from .1 up: logrotate shifts from the highest
            // number down and renames the log to .1 last, so a file that moves while this runs
            // moves to a name not opened yet, and is still found (in name order it can be missed,
            // and a generation missed while Warden catches up is lost).
            current = LogFile.TryOpen(sourceId, path);
            foreach (var name in names.OrderBy(n => RotatedNames.Number(System.IO.Path.GetFileName(n), baseName) is var k and > 0 ? k : int.MaxValue))
            {
                if (OpenQuietly(sourceId, name, out var gone) is { } file)
                {
                    var modified = FileStatus.OfHandle(file.Handle).ModifiedTicks;
                    opened.Add(new Candidate(file, extra && name == hint ? long.MaxValue : modified, RotatedNames.Number(System.IO.Path.GetFileName(name), baseName), name));
                }
                else if (gone && !(extra && name == hint))
                {
                    // A listed name gone by the time it was opened: its file moved to a name
                    // this listing may not hold.
                    vanished = true;
                }
            }
        }
        catch
        {
            current?.Dispose();
            opened.ForEach(o => o.File.Dispose());
            throw;
        }

        // A rotation renamed something between listing and opening, or the names listed now are
        // not those listed before: the snapshot may lack a generation.
        var consistent = !vanished
            && StillNamed(opened.Select(o => ((LogFile?)o.File, o.Name)).Append((current, path)))
            && listed.SetEquals(RotatedNames.List(directory, baseName));
        return new Sighting(opened, current, consistent);
    }

    private static Generations Build(string sourceId, string path, List<Candidate> opened, LogFile? current)
    {
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

        return new Generations(sourceId, path, files, current);
    }

    private static LogFile? OpenQuietly(string sourceId, string name, out bool gone)
    {
        gone = false;
        try
        {
            var file = LogFile.TryOpen(sourceId, name);
            gone = file is null;
            return file;
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

    private sealed record Candidate(LogFile File, long Order, int Number, string Name);

    private sealed record Sighting(List<Candidate> Opened, LogFile? Current, bool Consistent);
}
