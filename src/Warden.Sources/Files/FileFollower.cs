using Warden.Core.Ports;
using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// Follows one log path through its rotations: a queue of files to read (the unread rest of old
/// generations, then the live file), one line splitter for the file at the head, and the checks
/// that notice rotation and truncation. Synchronous and single-threaded; the async loop around it
/// is <see cref="FileLogSource"/>.
/// </summary>
internal sealed class FileFollower : IDisposable
{
    private readonly string _path;
    private readonly string _sourceId;
    private readonly FileSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Queue<Segment> _queue = new();
    private readonly LineSplitter _splitter;
    private readonly byte[] _buffer;
    private long _lastGrowth;

    public FileFollower(string path, string sourceId, FileSourceOptions options, TimeProvider time)
    {
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

    /// <summary>The checkpoint after everything handed out so far.</summary>
    public string Checkpoint => _queue.Count == 0
        ? FileCheckpoint.Absent
        : _queue.Peek().File.CheckpointAt(_splitter.Committed, _splitter.Discarding).ToString();

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
            if (token is not null && FileCheckpoint.Parse(token) is null)
            {
                // The log did not exist when the checkpoint was taken: read whatever is there now.
                if (LogFile.TryOpen(_sourceId, _path) is { } appeared)
                {
                    Enqueue([new Segment(appeared, 0, false)]);
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
                Enqueue([new Segment(file, end, end > 0 && LastByte(file, end) != (byte)'\n')]);
            }

            return;
        }

        using var generations = Generations.Open(_sourceId, _path, checkpoint.Path);
        var plan = ReadPlan.FromCheckpoint(generations, checkpoint);
        if (plan.Count == 0 || plan[0].Offset != checkpoint.Offset)
        {
            StartNote = $"the file of the saved position ({checkpoint.Path}, offset {checkpoint.Offset}) is gone; reading the current file from its start";
        }

        Enqueue(plan);
    }

    /// <summary>
    /// Reads what is there: complete lines up to about <see cref="FileSourceOptions.MaxBatchLines"/>,
    /// finishing older generations on the way. <c>null</c> when nothing new was read.
    /// </summary>
    public LogBatch? Read()
    {
        var lines = new List<string>();
        var moved = ReplacedInPlace();
        while (_queue.Count > 0)
        {
            var segment = _queue.Peek();
            var n = segment.File.Read(_buffer, _splitter.Position);
            if (n > 0)
            {
                _splitter.Feed(_buffer.AsSpan(0, n), lines);
                _lastGrowth = _time.GetTimestamp();
                if (lines.Count >= _options.MaxBatchLines)
                {
                    break;
                }

                continue;
            }

            if (_queue.Count == 1)
            {
                break;
            }

            // An older generation is finished: its partial last line will never be completed.
            _splitter.Flush(lines);
            _queue.Dequeue().File.Dispose();
            var next = _queue.Peek();
            _splitter.Reset(next.Offset, next.Discarding);
            moved = true;
        }

        if (_queue.Count > 0)
        {
            _queue.Peek().File.GrowHead();
        }

        var overlong = _splitter.TakeOverlong();
        return lines.Count == 0 && !moved && overlong == 0
            ? null
            : new LogBatch(lines, Checkpoint) { Overlong = overlong };
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

        if (ReplacedInPlace())
        {
            return null;
        }

        var live = _queue.Peek().File;
        var status = FileStatus.OfPath(_path);
        if (status is null || status.Value.Identity == live.Identity)
        {
            return _options.PollInterval;
        }

        // Another file has the path (rename+create, delete+recreate, a re-pointed symlink).
        var quiet = _time.GetElapsedTime(_lastGrowth);
        if (status.Value.Size == 0 && quiet < _options.RotateWait)
        {
            var left = _options.RotateWait - quiet;
            return left < _options.PollInterval ? left : _options.PollInterval;
        }

        if (live.Length > _splitter.Position)
        {
            // Written since the last read: finish it first (the writer wrote there before it moved).
            return null;
        }

        using (var generations = Generations.Open(_sourceId, _path, null))
        {
            foreach (var segment in ReadPlan.After(generations, live.Identity))
            {
                _queue.Enqueue(segment);
            }
        }

        return null;
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
        ReplaceQueue(ReadPlan.AfterTruncation(generations, live.Identity, live.Head, _splitter.Committed, _splitter.Discarding));
        return true;
    }

    private void Enqueue(List<Segment> plan)
    {
        foreach (var segment in plan)
        {
            _queue.Enqueue(segment);
        }

        if (_queue.Count > 0)
        {
            var first = _queue.Peek();
            _splitter.Reset(first.Offset, first.Discarding);
        }
    }

    private void ReplaceQueue(List<Segment> plan)
    {
        Dispose();
        Enqueue(plan);
    }

    private static byte LastByte(LogFile file, long end)
    {
        Span<byte> one = stackalloc byte[1];
        return file.Read(one, end - 1) == 1 ? one[0] : (byte)'\n';
    }
}
