using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// Decides which files, from which offsets, continue a read: after a restart from a checkpoint,
/// after the live file was renamed away, after it was truncated in place. Each plan is the rest
/// of one generation followed by every newer one in full, so lines written while Warden was away
/// or busy are read once, in order. Files a plan uses are taken out of the snapshot.
/// </summary>
internal static class ReadPlan
{
    /// <summary>
    /// Where a checkpoint leads: the file it names, found by device+inode and its first bytes
    /// (renamed to <c>auth.log.1</c>, or still at the path), else a copy with the same first bytes
    /// (copytruncate). When nothing matches, the file at the path is new since the checkpoint and
    /// is read from its start.
    /// </summary>
    public static List<Segment> FromCheckpoint(Generations generations, FileCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(generations);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var files = generations.Files;
        var index = LastIndex(files, f => f.Identity == checkpoint.Identity && Holds(f, checkpoint.Head, checkpoint.Offset));
        if (index < 0)
        {
            index = LastIndex(files, f => Holds(f, checkpoint.Head, checkpoint.Offset));
        }

        if (index < 0 && LastIndex(files, f => f.Identity == checkpoint.Identity && checkpoint.Head.Matches(f.Handle)) is var shorter and >= 0)
        {
            // The same file, shorter than the checkpoint: a power loss took lines the writer had
            // not flushed but Warden had read. What comes next starts at its current end.
            var end = files[shorter].Length;
            return TakeAll(generations, [new Segment(files[shorter], end, !files[shorter].EndsWithNewline(end)), .. files.Skip(shorter + 1).Select(f => new Segment(f, 0, false))]);
        }

        if (index < 0)
        {
            // The checkpoint's file is gone (deleted, compressed): which generations came after it
            // is unknowable, so only the current file is read, from its start.
            return FromStart(generations, 0);
        }

        var plan = new List<Segment> { new(files[index], checkpoint.Offset, checkpoint.Discarding) };
        plan.AddRange(files.Skip(index + 1).Select(f => new Segment(f, 0, false)));
        return TakeAll(generations, plan);
    }

    /// <summary>What follows <paramref name="finished"/> once a new file took its path: the generations newer than it.</summary>
    public static List<Segment> After(Generations generations, FileIdentity finished)
    {
        ArgumentNullException.ThrowIfNull(generations);
        var files = generations.Files;
        var index = LastIndex(files, f => f.Identity == finished);
        return FromStart(generations, index < 0 ? 0 : files.Count - index - 1);
    }

    /// <summary>
    /// What follows a live file truncated (or rewritten) in place at <paramref name="offset"/>:
    /// the copy that holds its unread tail (copytruncate), the copies newer than that, then the
    /// file itself from its new start.
    /// </summary>
    public static List<Segment> AfterTruncation(Generations generations, FileIdentity live, FileHead head, long offset, bool discarding)
    {
        ArgumentNullException.ThrowIfNull(generations);
        var files = generations.Files;
        var index = LastIndex(files, f => f.Identity != live && Holds(f, head, offset));
        if (index < 0)
        {
            return generations.Current is null ? [] : TakeAll(generations, [new Segment(generations.Current, 0, false)]);
        }

        var plan = new List<Segment> { new(files[index], offset, discarding) };

        // A copy that starts like the live file did when the snapshot opened it is the live
        // file's own content, copied but not yet truncated (or still being copied): it is read in
        // the live file, whose checkpoint names that content, and the rest of it, once truncated,
        // through this same search. Read twice otherwise, and a restart would read it again.
        var now = generations.Current?.Head;
        plan.AddRange(files.Skip(index + 1)
            .Where(f => f == generations.Current || now is not { Length: > 0 } || !HeadBytes.Read(f.Handle).AgreesWith(now))
            .Select(f => new Segment(f, 0, false)));
        return TakeAll(generations, plan);
    }

    /// <summary>
    /// The generations after the end of <paramref name="older"/> and before <paramref name="newer"/>,
    /// read in full. <paramref name="older"/> is found by identity and first bytes: logrotate
    /// unlinks the copy it compresses and the next copy often gets its inode. When it is not
    /// there (compressed or deleted since), or <c>null</c> (there was none), every generation
    /// listed before <paramref name="newer"/> is newer than it.
    /// </summary>
    public static List<Segment> Between(Generations generations, FileCheckpoint? older, FileIdentity newer)
    {
        ArgumentNullException.ThrowIfNull(generations);
        var files = generations.Files;
        var from = older is null ? -1 : LastIndex(files, f => f.Identity == older.Identity && older.Head.Matches(f.Handle));
        var to = LastIndex(files, f => f.Identity == newer);
        return to <= from + 1
            ? []
            : TakeAll(generations, [.. files.Skip(from + 1).Take(to - from - 1).Select(f => new Segment(f, 0, false))]);
    }

    private static List<Segment> FromStart(Generations generations, int newest)
    {
        var files = generations.Files;
        var plan = files.Skip(files.Count - newest).Select(f => new Segment(f, 0, false)).ToList();
        if (plan.Count == 0 && generations.Current is { } current)
        {
            plan.Add(new Segment(current, 0, false));
        }

        return TakeAll(generations, plan);
    }

    private static bool Holds(LogFile file, FileHead head, long offset) =>
        file.Length >= offset && head.Matches(file.Handle);

    private static int LastIndex(IReadOnlyList<LogFile> files, Func<LogFile, bool> predicate)
    {
        for (var i = files.Count - 1; i >= 0; i--)
        {
            if (predicate(files[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static List<Segment> TakeAll(Generations generations, List<Segment> plan)
    {
        foreach (var segment in plan)
        {
            generations.Take(segment.File);
        }

        return plan;
    }
}
