using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// The generations a follower has read to their end and that are still on disk, with where each
/// ended. A plan can list such a file again: a snapshot taken while logrotate shifts names, an
/// mtime order that puts a file left empty by two quick rotations before a full one, a check for
/// copies that finds an old generation. Resumed at its end, it is never read twice, and lines a
/// late writer added after it was left are still read. A file is not remembered once unlinked:
/// nothing lists it again, and its inode may be reused by a new file. Bounded; not thread-safe.
/// </summary>
internal sealed class FinishedFiles
{
    private const int Capacity = 64;
    private readonly List<Entry> _entries = [];

    /// <summary>Remembers that <paramref name="file"/> was read up to <paramref name="end"/>.</summary>
    public void Add(LogFile file, long end)
    {
        ArgumentNullException.ThrowIfNull(file);
        _entries.RemoveAll(e => e.Identity == file.Identity);
        if (FileStatus.OfHandle(file.Handle).Links == 0)
        {
            return;
        }

        _entries.Add(new Entry(file.Identity, file.Head.Fingerprint, end));
        if (_entries.Count > Capacity)
        {
            _entries.RemoveAt(0);
        }
    }

    /// <summary>Where reading <paramref name="file"/> ended before, when it is a file read to its end already; else <c>null</c>.</summary>
    public long? EndOf(LogFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (var entry in _entries)
        {
            // Same inode and still the same first bytes: the same content, not a reused inode.
            if (entry.Identity == file.Identity && entry.Head.Matches(file.Handle))
            {
                return entry.End;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="file"/> was read to its end already and has not grown since.</summary>
    public bool ReadToEnd(LogFile file) => EndOf(file) is { } end && file.Length <= end;

    /// <summary>
    /// The plan with files read to their end already resumed at that end, and dropped (closed)
    /// when they did not grow since, except the plan's last (the live file).
    /// </summary>
    public List<Segment> Admit(List<Segment> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var admitted = new List<Segment>(plan.Count);
        for (var i = 0; i < plan.Count; i++)
        {
            var segment = plan[i];
            if (EndOf(segment.File) is { } end && end > segment.Offset)
            {
                if (i < plan.Count - 1 && segment.File.Length <= end)
                {
                    segment.File.Dispose();
                    continue;
                }

                segment = new Segment(segment.File, end, false);
            }

            admitted.Add(segment);
        }

        return admitted;
    }

    private readonly record struct Entry(FileIdentity Identity, FileHead Head, long End);
}
