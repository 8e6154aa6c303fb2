using Microsoft.Extensions.Logging;
using Warden.Core.Ports;
using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// Follows one log path through its rotations: a queue of files to read (the unread rest of old
/// generations, then the live file), one line splitter for the file at the head, and the checks
/// that notice rotation and truncation. Synchronous and single-threaded; the async loop around it
/// is <see cref="FileLogSource"/>.
/// </summary>
internal sealed partial class FileFollower : IDisposable
{
    private readonly string _path;
    private readonly string _sourceId;
    private readonly FileSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Queue<Segment> _queue = new();
    private readonly FinishedFiles _finished = new();
    private readonly LineSplitter _splitter;
    private readonly byte[] _buffer;
    private long _lastGrowth;
    // Set while the live file is still unread and empty-headed: the generation finished before
    // it, at its end. Nothing else locates an unread live file's place among rotated copies.
    private FileCheckpoint? _previous;

    // The queued generations were renamed away (rename+create, delete+recreate, a re-pointed
    // symlink), so a writer that has not reopened yet may still append to the newest of them;
    // copies made by copytruncate are never written again.
    private bool _renamed;

    // The live file's modification time when it was last read: a copy modified later was made
    // by a rotation after that read.
    private long _liveReadTicks;

    // Gaps found since the last batch: unread data that is gone (LogBatch.Lost).
    private int _lost;

    // The last read of the file at the head of the queue found its end: a truncation seen now
    // may have taken only lines written since, which nothing can tell.
    private bool _atEnd;

    private readonly ILogger _log;

    public FileFollower(string path, string sourceId, FileSourceOptions options, TimeProvider time, ILogger log)
    {
        _log = log;
        _path = path;
        _sourceId = sourceId;
        _options = options;
        _time = time;
        _splitter = new LineSplitter(options.MaxLineBytes);
        _buffer = new byte[Math.Max(options.ReadBufferBytes, 4096)];
        _lastGrowth = time.GetTimestamp();
    }

    /// <summary>What happened when a checkpoint could not be followed exactly, for the log; <c>null</c> when it could.</summary>
    public string? StartNote { get; private set; }

    /// <summary>The directories whose changes matter: the path's, and its symlink target's.</summary>
    public IReadOnlyCollection<string> Directories
    {
        get
        {
            var set = new HashSet<string>(StringComparer.Ordinal) { Path.GetDirectoryName(_path) ?? "/" };
            if (_queue.Count > 0 && Path.GetDirectoryName(_queue.Peek().File.Path) is { } reading)
            {
                set.Add(reading);
            }

            return set;
        }
    }

    /// <summary>
    /// The checkpoint after everything handed out so far. While the live file is unread and was
    /// empty when reached, it is the end of the generation before it: a restart then also reads
    /// any copy a copytruncate made of the live file meanwhile.
    /// </summary>
    public string Checkpoint => _queue.Count switch
    {
        0 => FileCheckpoint.Absent,
        1 when _previous is { } previous && previous.Identity != default && _splitter.Position == 0 && _queue.Peek().File.Head.Length == 0 => previous.ToString(),
        _ => _queue.Peek().File.CheckpointAt(_splitter.Committed, _splitter.Discarding).ToString(),
    };

    /// <summary>
    /// Positions the reader from a stored token: <c>null</c> (first run) starts at the end of the
    /// file, <see cref="FileCheckpoint.Absent"/> at the start of whatever appears, anything else
    /// where its checkpoint leads. An unreadable token is treated like a first run.
    /// </summary>
    public void Start(string? token)
    {
        FileCheckpoint? checkpoint = null;
        try
        {
            if ((token is null && !_options.StartAtEnd) || (token is not null && FileCheckpoint.Parse(token) is null))
            {
                // The log did not exist when the checkpoint was taken: read whatever is there now.
                if (LogFile.TryOpen(_sourceId, _path) is { } appeared)
                {
                    Enqueue([new Segment(appeared, 0, false)]);
                    WatchForCopies();
                }

                return;
            }

            checkpoint = token is null ? null : FileCheckpoint.Parse(token);
        }
        catch (FormatException)
        {
            StartNote = "the saved position is not a file checkpoint; starting at the end of the file";
        }

        if (checkpoint is null)
        {
            if (LogFile.TryOpen(_sourceId, _path) is { } file)
            {
                var end = file.Length;
                Enqueue([new Segment(file, end, !file.EndsWithNewline(end))]);
                WatchForCopies();
            }

            return;
        }

        using var generations = Generations.Open(_sourceId, _path, checkpoint.Path);
        var plan = ReadPlan.FromCheckpoint(generations, checkpoint);
        if (plan.Count == 0 || plan[0].Offset != checkpoint.Offset)
        {
            StartNote = $"the file of the saved position ({checkpoint.Path}, offset {checkpoint.Offset}) is gone; reading the current file from its start";
            _lost++;
        }

        Enqueue(plan);
        _renamed = plan.Count > 1 && plan[0].File.Identity == checkpoint.Identity;
        WatchForCopies();
    }

    /// <summary>
    /// A live file that is still empty when reading starts shows no sign of being rotated before
    /// its first read either (copytruncate keeps the inode): what a copy made of it meanwhile
    /// must be read first, so its first read looks for copies newer than the newest generation
    /// there is now (or for any copy when there is none).
    /// </summary>
    private void WatchForCopies()
    {
        if (_queue.Count != 1 || _queue.Peek().File.Head.Length != 0 || _splitter.Position != 0)
        {
            return;
        }

        using var generations = Generations.Open(_sourceId, _path, null);
        var files = generations.Files;
        _previous = files.Count > 1 && files[^1] == generations.Current
            ? files[^2].CheckpointAt(files[^2].Length, discarding: false)
            : new FileCheckpoint(default, 0, FileHead.Empty, false, string.Empty);
    }

    /// <summary>
    /// Reads what is there: complete lines up to about <see cref="FileSourceOptions.MaxBatchLines"/>,
    /// finishing older generations on the way. <c>null</c> when nothing new was read.
    /// </summary>
    public LogBatch? Read()
    {
        var lines = new List<string>();
        var moved = ReplacedInPlace();
        while (_queue.Count > 0 && lines.Count < _options.MaxBatchLines)
        {
            var file = _queue.Peek().File;
            var chunk = _buffer.AsSpan(0, file.Read(_buffer, _splitter.Position));
            _atEnd = chunk.IsEmpty;
            if (chunk.IsEmpty)
            {
                if (_queue.Count == 1 || !MayLeaveOldest())
                {
                    break;
                }

                FinishOldest(lines);
                moved = true;
            }
            else if (MissedGenerations(file, afterRead: true))
            {
                moved = true;
            }
            else if (!Consistent(file, chunk))
            {
                // Rewritten between the check and this read (a copytruncate racing a fast
                // writer): these bytes belong to new content, not at this offset.
                moved = true;
                if (!ReplacedInPlace() && _queue.Count > 1)
                {
                    DropOldest();
                }
            }
            else
            {
                _splitter.Feed(chunk, lines);
                _lastGrowth = _time.GetTimestamp();
                if (_queue.Count == 1)
                {
                    _liveReadTicks = FileStatus.OfHandle(file.Handle).ModifiedTicks;
                }
            }
        }

        var overlong = _splitter.TakeOverlong();
        return lines.Count == 0 && !moved && overlong == 0 && _lost == 0
            ? null
            : new LogBatch(lines, Checkpoint) { Overlong = overlong, Lost = TakeLost() };
    }

    /// <summary>Returns and clears the gaps found since the last call (<see cref="LogBatch.Lost"/>).</summary>
    public int TakeLost()
    {
        var lost = _lost;
        _lost = 0;
        return lost;
    }

    /// <summary>
    /// At the end of the live file: looks for truncation, a new file at the path, or the path
    /// appearing. Returns <c>null</c> when there is something to read now, else how long to wait.
    /// </summary>
    public TimeSpan? Check()
    {
        if (_queue.Count == 0)
        {
            if (LogFile.TryOpen(_sourceId, _path) is not { } appeared)
            {
                return _options.PollInterval;
            }

            Enqueue([new Segment(appeared, 0, false)]);
            return null;
        }

        if (_queue.Count > 1)
        {
            // Waiting to leave a rotated file for a live one that is still empty.
            return MayLeaveOldest() || _queue.Peek().File.Length > _splitter.Position ? null : RotateWaitLeft();
        }

        var live = _queue.Peek().File;
        if (ReplacedInPlace() || MissedGenerations(live, afterRead: false))
        {
            return null;
        }

        var status = FileStatus.OfPath(_path);
        if (status is null || status.Value.Identity == live.Identity)
        {
            return _options.PollInterval;
        }

        // Another file has the path (rename+create, delete+recreate, a re-pointed symlink).
        if (live.Length > _splitter.Position)
        {
            // Written since the last read: finish it first (the writer wrote there before it moved).
            return null;
        }

        using var generations = Generations.Open(_sourceId, _path, null);
        var newer = ReadPlan.After(generations, live.Identity);
        var waiting = newer.Count == 1 && newer[0].File.Length == 0 && _time.GetElapsedTime(_lastGrowth) < _options.RotateWait;

        // Queued (held open) at once, even when it is only an empty new file and the writer may
        // not have moved yet (syslog before its HUP): reading stays in the old file until the
        // writer moves (MayLeaveOldest), but a new file deleted again before the writer's next
        // move (delete+recreate at a quick pace) is still read through its handle.
        _finished.Admit(newer).ForEach(_queue.Enqueue);
        _renamed = true;
        Log.Rotated(_log, _sourceId, live.Path, newer.Count);
        return waiting ? RotateWaitLeft() : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        while (_queue.Count > 0)
        {
            _queue.Dequeue().File.Dispose();
        }
    }

    /// <summary>
    /// Checked before every read of the live file, since reading first would take the new
    /// content at the old offset: truncated (copytruncate) or rewritten in place, its unread tail,
    /// if any, is in a copy.
    /// </summary>
    private bool ReplacedInPlace()
    {
        if (_queue.Count != 1 || !_queue.Peek().File.WasReplacedInPlace(_splitter.Position))
        {
            return false;
        }

        var live = _queue.Peek().File;
        using var generations = Generations.Open(_sourceId, _path, null);
        var plan = ReadPlan.AfterTruncation(generations, live.Identity, live.Head.Fingerprint, _splitter.Committed, _splitter.Discarding, _liveReadTicks, out var found);
        if (!found && (!_atEnd || plan.Count > 1))
        {
            // No copy, plain or compressed, holds the rest: deleted before it was opened (more
            // rotations than logrotate keeps since the last read), or truncated by hand. Lines
            // were unread (left in the middle of the file), or may have been: later rotations
            // left copies, so the writer went on writing after the last read.
            Log.TruncatedUnread(_log, _sourceId, live.Path, _splitter.Committed);
            _lost++;
        }

        ReplaceQueue(plan);
        Log.Truncated(_log, _sourceId, live.Path, _queue.Count - 1);
        return true;
    }

    /// <summary>
    /// Whether an older generation read to its end may be left. Not while it was renamed away,
    /// written within <see cref="FileSourceOptions.RotateWait"/>, and no newer file has data yet:
    /// a writer that has not reopened (syslog before its HUP) still writes to it, also when a
    /// second rotation came before the reopen (then two newer files are still empty). Once a
    /// newer file has data the writer has moved; the old one is then read to its end once more,
    /// since its last lines may have been written after the read that found its end.
    /// </summary>
    private bool MayLeaveOldest()
    {
        if (_renamed && _time.GetElapsedTime(_lastGrowth) < _options.RotateWait && !WriterMoved())
        {
            return false;
        }

        return _queue.Peek().File.Length <= _splitter.Position;
    }

    /// <summary>True when a file newer than the one being read has data: a queued one, or a newer one at the path.</summary>
    private bool WriterMoved()
    {
        if (_queue.Skip(1).Any(s => s.File.Length > 0))
        {
            return true;
        }

        return FileStatus.OfPath(_path) is { } current && current.Size > 0 && _queue.All(s => s.File.Identity != current.Identity);
    }

    private TimeSpan RotateWaitLeft()
    {
        var left = _options.RotateWait - _time.GetElapsedTime(_lastGrowth);
        return left < _options.PollInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : _options.PollInterval;
    }

    /// <summary>An older generation is read to its end: its partial last line will never be completed.</summary>
    private void FinishOldest(List<string> lines)
    {
        _splitter.Flush(lines);
        var finished = _queue.Dequeue().File;
        var end = _splitter.Position;
        _finished.Add(finished, end);
        var next = _queue.Peek();
        _splitter.Reset(next.Offset, next.Discarding);

        // A live file that was still empty when planned shows no sign of being rotated before
        // its first read (copytruncate keeps the inode): its first read checks for that.
        _previous = _queue.Count == 1 && next.File.Head.Length == 0 ? finished.CheckpointAt(finished.Length, discarding: false) : null;
        Log.Finished(_log, _sourceId, finished.Path, finished.Identity.ToString(), end, next.File.Path, next.File.Identity.ToString(), next.Offset);
        finished.Dispose();
    }

    /// <summary>An older generation was rewritten in place: nothing more in it belongs here.</summary>
    private void DropOldest()
    {
        var dropped = _queue.Dequeue().File;
        Log.Overwritten(_log, _sourceId, dropped.Path, _splitter.Position);
        _lost++;
        dropped.Dispose();
        var next = _queue.Peek();
        _splitter.Reset(next.Offset, next.Discarding);
    }

    /// <summary>
    /// For a live file that was still empty when the generation before it was finished: any
    /// generation rotated away since (copytruncate keeps the inode, so nothing else shows it) left
    /// a copy, which must be read first. Checked when the live file's first bytes have been read
    /// (looking after the read leaves no gap) and, while it stays empty, on every wake-up, since
    /// the copy's creation may be the last event for a while.
    /// </summary>
    private bool MissedGenerations(LogFile live, bool afterRead)
    {
        if (_previous is not { } previous || _queue.Count != 1 || live.Head.Length != 0 || _splitter.Position != 0)
        {
            return false;
        }

        using var generations = Generations.Open(_sourceId, _path, null);
        var missed = ReadPlan.Between(generations, previous.Identity == default ? null : previous, live.Identity);

        // A copy that starts like the live file does now is the live file's own generation,
        // copied but not yet truncated: it is read in the live file.
        var current = HeadBytes.Read(live.Handle);
        foreach (var copy in missed.Where(m => current.Length > 0 && HeadBytes.Read(m.File.Handle).AgreesWith(current)).ToList())
        {
            missed.Remove(copy);
            copy.File.Dispose();
        }

        // Snapshots order by modification time, and a file two quick rotations left empty sorts
        // before the full one: what is listed "between" may be a generation read already.
        foreach (var read in missed.Where(m => _finished.ReadToEnd(m.File)).ToList())
        {
            missed.Remove(read);
            read.File.Dispose();
        }

        if (missed.Count == 0)
        {
            // Only bytes read before this look establish the head; bytes merely seen now could
            // still be copied and truncated away before the read.
            if (afterRead)
            {
                _previous = null;
            }

            return false;
        }

        _previous = null;
        var segment = _queue.Dequeue();
        Enqueue([.. missed, segment]);
        Log.Missed(_log, _sourceId, missed.Count);
        return true;
    }

    /// <summary>
    /// True when a chunk just read agrees with the file's known first bytes, and (for the live
    /// file, the only one a rotation rewrites) the file still starts with them.
    /// </summary>
    private bool Consistent(LogFile file, ReadOnlySpan<byte> chunk) =>
        file.Head.Observe(chunk, _splitter.Position) && (_queue.Count > 1 || file.Head.MatchesFile(file.Handle));

    private void Enqueue(List<Segment> plan)
    {
        foreach (var segment in _finished.Admit(plan))
        {
            _queue.Enqueue(segment);
        }

        if (_queue.Count > 0)
        {
            var first = _queue.Peek();
            _splitter.Reset(first.Offset, first.Discarding);
        }

        if (_queue.Count == 1)
        {
            // Taken up without a read yet (a first start at its end, a file that appeared): the
            // copies there are now are older than anything that will be read in it.
            _liveReadTicks = FileStatus.OfHandle(_queue.Peek().File.Handle).ModifiedTicks;
        }
    }

    private void ReplaceQueue(List<Segment> plan)
    {
        _renamed = false;
        Dispose();
        Enqueue(plan);
    }

    private static partial class Log
    {
        [LoggerMessage(2002, LogLevel.Debug, "Source {Source}: {Path} was truncated or rewritten in place; {Copies} rotated copies to read first")]
        public static partial void Truncated(ILogger logger, string source, string path, int copies);

        [LoggerMessage(2003, LogLevel.Debug, "Source {Source}: a new file has the path; {Count} generations after {Path} queued")]
        public static partial void Rotated(ILogger logger, string source, string path, int count);

        [LoggerMessage(2004, LogLevel.Debug, "Source {Source}: finished {Path} ({Identity}) at {End}, reading {Next} ({NextIdentity}) from {Offset}")]
        public static partial void Finished(ILogger logger, string source, string path, string identity, long end, string next, string nextIdentity, long offset);

        [LoggerMessage(2007, LogLevel.Warning, "Source {Source}: {Path} was truncated before it was read past offset {Offset}, and no rotated copy, plain or compressed, holds the rest (deleted before it was read, or truncated by hand); lines written after that offset, if any, are lost")]
        public static partial void TruncatedUnread(ILogger logger, string source, string path, long offset);

        [LoggerMessage(2006, LogLevel.Warning, "Source {Source}: {Path} was rewritten in place before it was read past offset {Offset}; the rest of it is lost")]
        public static partial void Overwritten(ILogger logger, string source, string path, long offset);

        [LoggerMessage(2005, LogLevel.Debug, "Source {Source}: {Count} generations were rotated away before the live file's first read; reading them first")]
        public static partial void Missed(ILogger logger, string source, int count);
    }
}
