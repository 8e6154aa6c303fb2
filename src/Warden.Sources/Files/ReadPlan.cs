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

        if (index < 0 && ThroughCompressed(generations, checkpoint.Head, checkpoint.Offset, checkpoint.Discarding) is { } compressed)
        {
            // Compressed while Warden was down (delaycompress, at the rotation after the one that
            // renamed or copied it): the rest of it, then everything newer.
            return WithCurrent(generations, compressed);
        }

        if (index < 0)
        {
            // The checkpoint's file is gone (deleted): which generations came after it is
            // unknowable, so only the current file is read, from its start.
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
    /// the copy that holds its unread tail (copytruncate; compressed since, when the reader fell
    /// more than one rotation behind), the copies newer than that, then the file itself from its
    /// new start. <paramref name="found"/> says whether a copy holding the tail was found; when
    /// none was (deleted, or truncated by hand), the copies modified after
    /// <paramref name="readTicks"/> (the live file's modification time at its last read) are the
    /// generations rotated away since, and are read before it.
    /// </summary>
    public static List<Segment> AfterTruncation(Generations generations, FileIdentity live, FileHead head, long offset, bool discarding, long readTicks, out bool found)
    {
        ArgumentNullException.ThrowIfNull(generations);
        var files = generations.Files;
        var index = LastIndex(files, f => f.Identity != live && Holds(f, head, offset));
        found = index >= 0;
        if (index < 0)
        {
            if (ThroughCompressed(generations, head, offset, discarding) is { } compressed)
            {
                found = true;
                return WithCurrent(generations, compressed);
            }

            using var all = new CompressedList(CompressedGeneration.List(generations.Path));
            return WithCurrent(generations, Newer(generations, all.Items, (readTicks, int.MinValue), -1));
        }

        var plan = new List<Segment> { new(files[index], offset, discarding) };

        // A copy that starts like the live file did when the snapshot opened it is the live
        // file's own content, copied but not yet truncated (or still being copied): it is read in
        // the live file, whose checkpoint names that content, and the rest of it, once truncated,
        // through this same search. Read twice otherwise, and a restart would read it again.
        var now = generations.Current?.Head;
        plan.AddRange(files.Skip(index + 1)
            .Where(f => f == generations.Current || !IsLiveCopy(HeadBytes.Read(f.Handle), now))
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
        if (from < 0 && older is not null && generations.Current?.Identity == newer
            && ThroughCompressed(generations, older.Head, older.Offset, older.Discarding) is { } compressed)
        {
            // Compressed since it was finished (two rotations before the live file's first read).
            return compressed;
        }

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

    /// <summary>
    /// When no plain generation holds <paramref name="head"/>: the compressed generation that does,
    /// read from <paramref name="offset"/> (nothing when it ends there), then every generation
    /// newer than it, compressed or plain, the current file left out. <c>null</c> when no
    /// compressed generation holds it.
    /// </summary>
    private static List<Segment>? ThroughCompressed(Generations generations, FileHead head, long offset, bool discarding)
    {
        using var compressed = new CompressedList(CompressedGeneration.List(generations.Path));
        var items = compressed.Items;
        var index = LastIndex(items, c => c.Holds(head));
        if (index < 0)
        {
            return null;
        }

        var plan = new List<Segment>();

        // Read to its end already (a generation finished, then compressed while the live file
        // stayed empty, looked at on every wake-up): nothing to decompress.
        if (!items[index].EndsAt(offset))
        {
            if (items[index].Decompress(generations.SourceId, offset) is not { } found || found.Length < offset)
            {
                return null;
            }

            if (found.Length > offset)
            {
                plan.Add(new Segment(found, offset, discarding));
            }
            else
            {
                found.Dispose();
            }
        }

        plan.AddRange(Newer(generations, items, (items[index].ModifiedTicks, items[index].Number), index));
        return plan;
    }

    /// <summary>
    /// The generations newer than <paramref name="anchor"/> (modification time, then the smaller
    /// rotation number), plain or compressed, oldest first, the current file and the live
    /// file's own copy left out. A compressed one that starts like a plain one listed is the same
    /// generation (compressed while the snapshot was taken) and is read once, as the plain file.
    /// </summary>
    private static List<Segment> Newer(Generations generations, IReadOnlyList<CompressedGeneration> compressed, (long Ticks, int Number) anchor, int anchorIndex)
    {
        var baseName = Path.GetFileName(generations.Path);
        var now = generations.Current?.Head;
        var plain = generations.Files
            .Where(f => f != generations.Current && !IsLiveCopy(f.Head, now))
            .Select(f => (File: f, Key: (FileStatus.OfHandle(f.Handle).ModifiedTicks, RotatedNames.Number(Path.GetFileName(f.Path), baseName))))
            .Where(p => IsNewer(p.Key, anchor))
            .ToList();
        var zipped = compressed
            .Where((c, i) => i != anchorIndex && IsNewer((c.ModifiedTicks, c.Number), anchor)
                && (now is not { Length: > 0 } || !c.AgreesWith(now))
                && !plain.Any(p => c.AgreesWith(p.File.Head)))
            .Select(c => (Generation: c, Key: (c.ModifiedTicks, c.Number)));
        var plan = new List<(Segment Segment, (long, int) Key)>();
        foreach (var (generation, key) in zipped)
        {
            // A compressed file that is not a whole gzip stream is still being written, and
            // its plain file is still listed; or it is damaged, and nothing can read it.
            if (generation.Decompress(generations.SourceId, 0) is { } text)
            {
                plan.Add((new Segment(text, 0, false), key));
            }
        }

        foreach (var (file, key) in plain)
        {
            generations.Take(file);
            plan.Add((new Segment(file, 0, false), key));
        }

        return [.. plan.OrderBy(p => p.Key.Item1).ThenByDescending(p => p.Key.Item2).Select(p => p.Segment)];
    }

    private static bool IsNewer((long Ticks, int Number) key, (long Ticks, int Number) anchor) =>
        key.Ticks > anchor.Ticks || (key.Ticks == anchor.Ticks && key.Number < anchor.Number);

    private static bool IsLiveCopy(HeadBytes head, HeadBytes? live) =>
        live is { Length: > 0 } && head.AgreesWith(live);

    private static List<Segment> WithCurrent(Generations generations, List<Segment> plan)
    {
        if (generations.Current is { } current)
        {
            plan.Add(new Segment(generations.Take(current), 0, false));
        }

        return plan;
    }

    private static bool Holds(LogFile file, FileHead head, long offset) =>
        file.Length >= offset && head.Matches(file.Handle);

    private static int LastIndex<T>(IReadOnlyList<T> files, Func<T, bool> predicate)
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

    // Closes the compressed generations a plan looked at; the texts it decompressed stay open.
    private readonly struct CompressedList(List<CompressedGeneration> items) : IDisposable
    {
        public List<CompressedGeneration> Items { get; } = items;

        public void Dispose() => Items.ForEach(c => c.Dispose());
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
