using System.Text;
using Warden.TestKit;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// Appends numbered sshd-like lines (<c>000000042 sshd[42]: ...</c>) as fast as it can on its own
/// thread, one write(2) per line, and never looks at the reader. <see cref="Rotate"/> rotates the
/// log while it writes, keeping every generation (<c>.1</c> shifted to <c>.2</c> as logrotate does).
/// After a rename or delete the writer goes on writing to the old file for
/// <see cref="ReopenLag"/> lines before it reopens the path, as a daemon does between logrotate's
/// rename and its HUP. The only pause bounds the test's size: the writer stays at most
/// <see cref="Budget"/> lines past the last rotation, so it is paced by the rotations, never by the reader.
/// </summary>
internal sealed class UnpacedWriter : IDisposable
{
    /// <summary>Lines still written to the rotated-away file before the writer reopens.</summary>
    public const int ReopenLag = 200;

    /// <summary>Lines the writer may write after a rotation before it waits for the next one.</summary>
    public const int Budget = 1_000;

    private readonly string _path;
    private readonly RotationStyle _style;
    private readonly Lock _gate = new();
    private readonly List<long> _starts = [0];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _rotated = new();
    private readonly long _limit;
    private volatile bool _stop;
    private AppendFile _stream;
    private long _next;
    private long _allowed = Budget;
    private int _reopenIn = -1;
    private int _generations = 1;

    /// <param name="path">The log.</param>
    /// <param name="style">How <see cref="Rotate"/> rotates it.</param>
    /// <param name="limit">Most lines written, whatever happens (bounds the test).</param>
    public UnpacedWriter(string path, RotationStyle style, long limit)
    {
        _path = path;
        _style = style;
        _limit = limit;
        File.WriteAllText(path, string.Empty);
        _stream = new AppendFile(path);
        _thread = new Thread(Run) { IsBackground = true, Name = "unpaced writer" };
    }

    /// <summary>Lines written so far (the next sequence number).</summary>
    public long Written => Interlocked.Read(ref _next);

    /// <summary>The first sequence number of the file at the path, or <c>long.MaxValue</c> while the writer has not reopened it yet.</summary>
    public long CurrentStart
    {
        get
        {
            lock (_gate)
            {
                return _reopenIn >= 0 ? long.MaxValue : _starts[^1];
            }
        }
    }

    /// <summary>For a failure's diagnosis: the first sequence number of each file the writer opened or the rotation copied to, with its device and inode.</summary>
    public List<string> Inodes { get; } = [];

    /// <summary>The first sequence number of every generation, oldest first.</summary>
    public IReadOnlyList<long> Starts
    {
        get
        {
            lock (_gate)
            {
                return [.. _starts];
            }
        }
    }

    public void Start() => _thread.Start();

    /// <summary>Stops writing, then appends one last line; returns the number of lines written, that one included.</summary>
    public long Stop()
    {
        _stop = true;
        _rotated.Set();
        _thread.Join();
        lock (_gate)
        {
            if (_reopenIn >= 0)
            {
                Reopen();
            }

            WriteLine();
            return _next;
        }
    }

    /// <summary>Rotates once, keeping every generation; returns the lines written when it was done.</summary>
    public long Rotate()
    {
        switch (_style)
        {
            case RotationStyle.RenameCreate:
                Shift();
                File.Move(_path, _path + ".1");
                Create();
                RequestReopen();
                break;
            case RotationStyle.CopyTruncate:
                Shift();

                // logrotate(8) says lines written between the copy and the truncation are lost;
                // holding the writer for that moment keeps the test about the reader.
                lock (_gate)
                {
                    File.Copy(_path, _path + ".1");
                    using (var truncate = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                    {
                        truncate.SetLength(0);
                    }

                    _starts.Add(_next);
                    Inodes.Add($"{_next}:copy {Native.FileStatus.OfPath(_path + ".1")?.Identity}");
                }

                break;
            case RotationStyle.DeleteRecreate:
                File.Delete(_path);
                Create();
                RequestReopen();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(_style), _style, "not a style this writer rotates");
        }

        return Allow();
    }

    /// <summary>
    /// Rotates with an outside tool (logrotate with copytruncate) while the writer is held, as
    /// <see cref="Rotate"/> holds it for the copy and truncation; returns the lines written then.
    /// </summary>
    public async Task<long> RotateWithAsync(Func<Task> rotate)
    {
        ArgumentNullException.ThrowIfNull(rotate);
        lock (_gate)
        {
            Interlocked.Exchange(ref _allowed, 0);
        }

        await rotate();
        lock (_gate)
        {
            _starts.Add(_next);
        }

        return Allow();
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            _stop = true;
            _rotated.Set();
            _thread.Join();
        }

        _stream.Dispose();
        _rotated.Dispose();
    }

    private void Run()
    {
        while (!_stop && Written < _limit)
        {
            if (Written >= Interlocked.Read(ref _allowed))
            {
                _rotated.Reset();
                if (Written >= Interlocked.Read(ref _allowed))
                {
                    _rotated.Wait();
                }

                continue;
            }

            lock (_gate)
            {
                if (Written >= Interlocked.Read(ref _allowed))
                {
                    // Held by RotateWithAsync after the check above.
                    continue;
                }

                if (_reopenIn == 0)
                {
                    Reopen();
                }
                else if (_reopenIn > 0)
                {
                    _reopenIn--;
                }

                WriteLine();
            }
        }
    }

    private long Allow()
    {
        var written = Written;
        Interlocked.Exchange(ref _allowed, written + Budget);
        _rotated.Set();
        return written;
    }

    private void WriteLine()
    {
        Span<byte> buffer = stackalloc byte[96];
        var seq = _next;
        var length = Encoding.ASCII.GetBytes($"{seq:D9} sshd[42]: Failed password for root from 192.0.2.{seq % 250} port 22 ssh2\n", buffer);
        _stream.Write(buffer[..length]);
        Interlocked.Increment(ref _next);
    }

    private void Reopen()
    {
        _stream.Dispose();
        _stream = new AppendFile(_path);
        _reopenIn = -1;
        _starts.Add(_next);
        Inodes.Add($"{_next}:{Identity(_stream)}");
    }

    // Never truncates: a writer reopening between the rename and this creates the file itself
    // (O_CREAT) and may have written to it already.
    private void Create() => File.Open(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();

    private void RequestReopen()
    {
        lock (_gate)
        {
            _reopenIn = ReopenLag;
        }
    }

    private void Shift()
    {
        for (var i = _generations - 1; i >= 1; i--)
        {
            File.Move($"{_path}.{i}", $"{_path}.{i + 1}");
        }

        _generations++;
    }

    private static string Identity(AppendFile file)
    {
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(file.Descriptor, ownsHandle: false);
        return Native.FileStatus.OfHandle(handle).Identity.ToString();
    }
}
