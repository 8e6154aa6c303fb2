using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Sources.Tests;

/// <summary>Reads a source in the background, as the engine does, and records what it hands out.</summary>
internal sealed class SourceRun : IAsyncDisposable
{
    private readonly List<string> _lines = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly Lock _gate = new();
    private string? _checkpoint;
    private string? _first;
    private int _batches;
    private int _overlong;
    private int _lost;

    private SourceRun(ILogSource source, string? checkpoint)
    {
        _pump = Task.Run(async () =>
        {
            await foreach (var batch in source.ReadAsync(checkpoint, _stop.Token))
            {
                lock (_gate)
                {
                    _lines.AddRange(batch.Lines);
                    _checkpoint = batch.Checkpoint;
                    _first ??= batch.Checkpoint;
                    _batches++;
                    _overlong += batch.Overlong;
                    _lost += batch.Lost;
                }
            }
        });
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public string? Checkpoint
    {
        get
        {
            lock (_gate)
            {
                return _checkpoint;
            }
        }
    }

    public string? FirstCheckpoint
    {
        get
        {
            lock (_gate)
            {
                return _first;
            }
        }
    }

    public int Overlong
    {
        get
        {
            lock (_gate)
            {
                return _overlong;
            }
        }
    }

    /// <summary>Gaps the source reported (<see cref="LogBatch.Lost"/>).</summary>
    public int Lost
    {
        get
        {
            lock (_gate)
            {
                return _lost;
            }
        }
    }

    public static async Task<SourceRun> StartAsync(ILogSource source, string? checkpoint)
    {
        var run = new SourceRun(source, checkpoint);
        await Eventually.TrueAsync(() => run.Started, TimeSpan.FromSeconds(10), "the first batch");
        return run;
    }

    public async Task WaitForAsync(int count)
    {
        await Eventually.TrueAsync(() => Fault() || Lines.Count >= count, TimeSpan.FromSeconds(20), $"{count} lines (have {Lines.Count})");
        if (_pump.IsFaulted)
        {
            await _pump;
        }
    }

    /// <summary>Waits a little and asserts no line beyond <paramref name="count"/> arrived.</summary>
    public async Task AssertStaysAtAsync(int count)
    {
        await Task.Delay(400);
        Assert.Equal(count, Lines.Count);
    }

    /// <summary>Stops reading and returns the last checkpoint.</summary>
    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        return Checkpoint ?? throw new InvalidOperationException("no batch was read");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_pump.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private bool Started
    {
        get
        {
            lock (_gate)
            {
                return _batches > 0 || _pump.IsFaulted;
            }
        }
    }

    private bool Fault() => _pump.IsFaulted;
}
