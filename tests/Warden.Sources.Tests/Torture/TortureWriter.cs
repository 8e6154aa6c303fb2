using System.Text;
using Warden.TestKit;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// Appends numbered lines to a log as fast as it can on its own thread (one write(2) per line,
/// like a logging daemon) while <see cref="Rotate"/> rotates the log in one of the
/// <see cref="RotationStyle"/>s. Every third line is a failure. The only pause: it stays at most
/// <see cref="MaxAhead"/> lines ahead of the reader's progress, which bounds the test's size.
/// </summary>
internal sealed class TortureWriter : IDisposable
{
    private const int Kept = 5;
    private const long MaxAhead = 1_000;
    private readonly string _path;
    private readonly RotationStyle _style;
    private readonly Lock _gate = new();
    private readonly List<long> _generationStarts = [0];
    private readonly Thread _thread;
    private volatile bool _stop;
    private volatile bool _reopen;
    private AppendFile _stream;
    private long _next;
    private int _generation;

    private readonly Func<long> _readerProgress;

    public TortureWriter(string path, RotationStyle style, Func<long> readerProgress)
    {
        _path = path;
        _readerProgress = readerProgress;
        _style = style;
        if (style == RotationStyle.Symlink)
        {
            Directory.CreateDirectory(TargetsDirectory);
            File.WriteAllText(Target(0), string.Empty);
            File.CreateSymbolicLink(path, Target(0));
        }
        else
        {
            File.WriteAllText(path, string.Empty);
        }

        _stream = Open();
        _thread = new Thread(Run) { IsBackground = true, Name = "torture writer" };
    }

    /// <summary>Lines written so far (the next sequence number).</summary>
    public long Written => Interlocked.Read(ref _next);

    /// <summary>The first sequence number of the generation being written, once the writer writes to it.</summary>
    public long CurrentStart
    {
        get
        {
            lock (_gate)
            {
                return _reopen ? long.MaxValue : _generationStarts[^1];
            }
        }
    }

    public IReadOnlyList<long> Starts
    {
        get
        {
            lock (_gate)
            {
                return [.. _generationStarts];
            }
        }
    }

    /// <summary>First sequence number of generation <paramref name="back"/> generations before the current one.</summary>
    public long StartOf(int back)
    {
        lock (_gate)
        {
            return _generationStarts[Math.Max(0, _generationStarts.Count - 1 - back)];
        }
    }

    private string TargetsDirectory => _path + ".d";

    public void Start() => _thread.Start();

    /// <summary>Stops writing; returns the number of lines written.</summary>
    public long Stop()
    {
        _stop = true;
        _thread.Join();
        return Written;
    }

    /// <summary>Rotates once; the writer moves to the new file at its next line (as after a HUP).</summary>
    public void Rotate()
    {
        switch (_style)
        {
            case RotationStyle.RenameCreate:
                Shift();
                File.Move(_path, _path + ".1");
                File.WriteAllText(_path, string.Empty);
                RequestReopen();
                break;
            case RotationStyle.CopyTruncate:
                // logrotate(8) warns that lines written between the copy and the truncation are
                // lost; holding the writer for that moment keeps the test about the reader.
                lock (_gate)
                {
                    Shift();
                    File.Copy(_path, _path + ".1");
                    using (var truncate = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                    {
                        truncate.SetLength(0);
                    }

                    _generationStarts.Add(_next);
                }

                break;
            case RotationStyle.DeleteRecreate:
                File.Delete(_path);
                File.WriteAllText(_path, string.Empty);
                RequestReopen();
                break;
            case RotationStyle.Symlink:
                _generation++;
                File.WriteAllText(Target(_generation), string.Empty);
                File.CreateSymbolicLink(_path + ".tmp", Target(_generation));
                File.Move(_path + ".tmp", _path, overwrite: true);
                File.Delete(Target(_generation - Kept));
                RequestReopen();
                break;
        }
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            Stop();
        }

        _stream.Dispose();
    }

    private void Run()
    {
        var buffer = new byte[64];
        while (!_stop)
        {
            if ((_next & 1023) == 0 && _next - _readerProgress() > MaxAhead)
            {
                Thread.Sleep(1);
                continue;
            }

            lock (_gate)
            {
                if (_reopen)
                {
                    _stream.Dispose();
                    _stream = Open();
                    _reopen = false;
                    _generationStarts.Add(_next);
                }

                var seq = _next;
                var length = Encoding.ASCII.GetBytes($"{seq:D9} app[42]: {(seq % 3 == 0 ? "FAIL" : "ok")}\n", buffer);
                _stream.Write(buffer.AsSpan(0, length));
                Interlocked.Increment(ref _next);
            }
        }
    }

    private void RequestReopen()
    {
        lock (_gate)
        {
            _reopen = true;
        }
    }

    private void Shift()
    {
        File.Delete($"{_path}.{Kept}");
        for (var i = Kept - 1; i >= 1; i--)
        {
            if (File.Exists($"{_path}.{i}"))
            {
                File.Move($"{_path}.{i}", $"{_path}.{i + 1}");
            }
        }
    }

    private string Target(int generation) => Path.Combine(TargetsDirectory, $"gen-{generation}.log");

    // Each line is one write(2), visible to readers at once.
    private AppendFile Open() => new(_path);
}
