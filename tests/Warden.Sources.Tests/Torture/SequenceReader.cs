using System.Globalization;
using Warden.Core.Ports;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// Reads a source in the background, as the engine does, and counts how often each sequence
/// number (a line's first nine digits) arrived, and the gaps the source reported.
/// <see cref="RestartAsync"/> stops it between two batches, as a crash after a commit would,
/// and resumes from the last checkpoint handed out.
/// </summary>
internal sealed class SequenceReader : IAsyncDisposable
{
    private readonly int[] _counts;
    private readonly ILogSource _source;
    private CancellationTokenSource _stop = new();
    private Task _pump;
    private long _max = -1;
    private long _garbled;
    private long _lost;
    private int _batches;

    public SequenceReader(ILogSource source, int capacity)
    {
        _source = source;
        _counts = new int[capacity];
        _pump = Pump(null, _stop.Token);
    }

    /// <summary>The highest sequence number read so far; -1 before the first.</summary>
    public long Max => Interlocked.Read(ref _max);

    /// <summary>Lines that did not start with a sequence number in range (a torn or merged line).</summary>
    public long Garbled => Interlocked.Read(ref _garbled);

    /// <summary>Gaps the source reported (<see cref="LogBatch.Lost"/>).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>The last checkpoint handed out.</summary>
    public string? Checkpoint { get; private set; }

    public bool Started => Volatile.Read(ref _batches) > 0 || _pump.IsCompleted;

    public bool Faulted => _pump.IsFaulted;

    /// <summary>How often <paramref name="seq"/> arrived.</summary>
    public int CountOf(long seq) => Volatile.Read(ref _counts[seq]);

    /// <summary>Stops reading; rethrows what made the reading fail.</summary>
    public async Task StopAsync()
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
    }

    /// <summary>Stops, runs <paramref name="whileDown"/>, and resumes from the last checkpoint.</summary>
    public async Task RestartAsync(Action whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        await StopAsync();
        _stop.Dispose();
        whileDown();
        _stop = new CancellationTokenSource();
        Volatile.Write(ref _batches, 0);
        _pump = Pump(Checkpoint, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private Task Pump(string? checkpoint, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            await foreach (var batch in _source.ReadAsync(checkpoint, cancellationToken))
            {
                foreach (var line in batch.Lines)
                {
                    Count(line);
                }

                Interlocked.Add(ref _lost, batch.Lost);
                Checkpoint = batch.Checkpoint;
                Interlocked.Increment(ref _batches);
            }
        }, cancellationToken);

    private void Count(string line)
    {
        if (line.Length < 10 || line[9] != ' '
            || !long.TryParse(line.AsSpan(0, 9), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq >= _counts.Length)
        {
            Interlocked.Increment(ref _garbled);
            return;
        }

        Interlocked.Increment(ref _counts[seq]);
        if (seq > Interlocked.Read(ref _max))
        {
            Interlocked.Exchange(ref _max, seq);
        }
    }
}
