using System.Diagnostics;
using System.Globalization;
using System.Text;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Appends a fixed plan of sshd "Failed password" lines on its own thread at a steady pace (one
/// write(2) per line), never looking at Warden; <see cref="Release"/> drops the pace so the rest
/// is written at once. <see cref="RotateAsync"/> rotates the log under the writer's feet; after a
/// rename or a re-pointed symlink the writer goes on writing to the old file for
/// <see cref="ReopenLag"/> lines, as a daemon does between logrotate's rename and its HUP.
/// </summary>
internal sealed class ChaosWriter : IDisposable
{
    /// <summary>Lines still written to the rotated-away file before the writer reopens the path.</summary>
    public const int ReopenLag = 20;

    private readonly string _path;
    private readonly IReadOnlyList<string> _plan;
    private readonly TimeSpan _pace;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Thread _thread;
    private AppendFile _stream;
    private string _target;
    private volatile bool _released;
    private volatile bool _stop;
    private int _next;
    private int _reopenIn = -1;
    private int _generations = 1;

    /// <param name="path">The log (for <see cref="ChaosRotation.Symlink"/>, a symlink made here).</param>
    /// <param name="plan">The address of each line, in order.</param>
    /// <param name="pace">Time between two lines until <see cref="Release"/>.</param>
    /// <param name="symlink">Makes <paramref name="path"/> a symlink to a generation file.</param>
    public ChaosWriter(string path, IReadOnlyList<string> plan, TimeSpan pace, bool symlink)
    {
        _path = path;
        _plan = plan;
        _pace = pace;
        _target = path;
        if (symlink)
        {
            _target = $"{path}-gen0";
            File.WriteAllText(_target, string.Empty);
            File.CreateSymbolicLink(path, _target);
        }
        else
        {
            File.WriteAllText(path, string.Empty);
        }

        _stream = new AppendFile(_target);
        _thread = new Thread(Run) { IsBackground = true, Name = "chaos writer" };
    }

    /// <summary>Lines written so far.</summary>
    public int Written => Volatile.Read(ref _next);

    /// <summary>True once every line of the plan is written.</summary>
    public bool Done => Written >= _plan.Count;

    /// <summary>Rotations done.</summary>
    public int Rotations { get; private set; }

    public void Start() => _thread.Start();

    /// <summary>Writes the rest of the plan without pacing.</summary>
    public void Release() => _released = true;

    /// <summary>Rotates once in <paramref name="style"/>; <paramref name="logrotate"/> runs Debian's logrotate for <see cref="ChaosRotation.Logrotate"/>.</summary>
    public async Task RotateAsync(ChaosRotation style, Func<Task> logrotate)
    {
        ArgumentNullException.ThrowIfNull(logrotate);

        // Held while the files move; for copies, logrotate(8) says lines written between the copy
        // and the truncation are lost whoever reads, so the writer waits for that moment (never
        // for Warden).
        await _gate.WaitAsync();
        try
        {
            await RotateHeldAsync(style, logrotate);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _stream.Dispose();
        _gate.Dispose();
    }

    private async Task RotateHeldAsync(ChaosRotation style, Func<Task> logrotate)
    {
        switch (style)
        {
            case ChaosRotation.RenameCreate:
                Shift();
                File.Move(_path, _path + ".1");
                File.Open(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
                Rotated(reopen: true);
                break;
            case ChaosRotation.CopyTruncate:
                Shift();
                File.Copy(_path, _path + ".1");
                using (var truncate = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                    truncate.SetLength(0);
                }

                Rotated(reopen: false);
                break;
            case ChaosRotation.Symlink:
                var next = $"{_path}-gen{_generations++}";
                File.WriteAllText(next, string.Empty);
                var link = _path + ".new";
                File.CreateSymbolicLink(link, next);
                File.Move(link, _path, overwrite: true);
                _target = next;
                Rotated(reopen: true);
                break;
            case ChaosRotation.Logrotate:
                await logrotate();
                Rotated(reopen: false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(style), style, "not a rotation");
        }
    }

    private void Rotated(bool reopen)
    {
        Rotations++;
        if (reopen)
        {
            _reopenIn = ReopenLag;
        }
    }

    private void Run()
    {
        var clock = Stopwatch.StartNew();
        while (!_stop && _next < _plan.Count)
        {
            if (!_released && clock.Elapsed < _pace * _next)
            {
                Thread.Sleep(1);
                continue;
            }

            _gate.Wait();
            try
            {
                if (_reopenIn == 0)
                {
                    _stream.Dispose();
                    _stream = new AppendFile(_target);
                    _reopenIn = -1;
                }
                else if (_reopenIn > 0)
                {
                    _reopenIn--;
                }

                var stamp = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
                var line = $"{stamp} host sshd[{1000 + (_next % 30000)}]: Failed password for root from {_plan[_next]} port {1024 + (_next % 60000)} ssh2\n";
                _stream.Write(Encoding.ASCII.GetBytes(line));
                Volatile.Write(ref _next, _next + 1);
            }
            finally
            {
                _gate.Release();
            }
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
}
