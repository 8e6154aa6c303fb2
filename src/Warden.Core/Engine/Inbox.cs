using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// The engine loop's one input: a bounded channel fed by the source pumps (batches of lines),
/// the timer and the firewall watch (ticks) and outside callers (commands). Each source may have
/// only <see cref="BatchesPerSource"/> batches waiting or in work, so a flood slows the reading
/// instead of filling memory with lines read ahead (the channel's own bound is in messages, and
/// 256 batches of 4,096 lines held a whole million-line log as strings). Any thread may write;
/// only the loop reads.
/// </summary>
internal sealed partial class Inbox(TimeProvider time, ILogger logger)
{
    /// <summary>Batches of one source read ahead of the loop: enough to keep the reader busy while the loop works.</summary>
    public const int BatchesPerSource = 2;

    private static readonly TimeSpan MaxSourceRetryDelay = TimeSpan.FromMinutes(1);

    private readonly Channel<Message> _channel = Channel.CreateBounded<Message>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>The loop's end of the channel.</summary>
    public ChannelReader<Message> Reader => _channel.Reader;

    /// <summary>Reads <paramref name="binding"/>'s source into the channel until cancelled, resuming after failures with a growing delay.</summary>
    public async Task PumpAsync(SourceBinding binding, string? checkpoint, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        using var slots = new SemaphoreSlim(BatchesPerSource, BatchesPerSource);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var batch in binding.Source.ReadAsync(checkpoint, cancellationToken))
                {
                    // The loop gives the slot back when it has processed the batch (BatchMessage.Done).
                    await slots.WaitAsync(cancellationToken);
                    await _channel.Writer.WriteAsync(new BatchMessage(binding, batch, time.GetTimestamp(), slots), cancellationToken);
                    checkpoint = batch.Checkpoint;
                    delay = TimeSpan.FromSeconds(1);
                }

                Log.SourceEnded(logger, binding.Source.Id);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SourceFailed(logger, binding.Source.Id, delay, ex);
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxSourceRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Writes a tick every <paramref name="interval"/> until cancelled.</summary>
    public async Task TickAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await WakeAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Asks the loop for a tick now.</summary>
    public ValueTask WakeAsync(CancellationToken cancellationToken) => _channel.Writer.WriteAsync(TickMessage.Instance, cancellationToken);

    /// <summary>Runs <paramref name="action"/> on the loop, where it may read and change state, and returns its result.</summary>
    public async Task<T> InvokeAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _channel.Writer.WriteAsync(new CommandMessage(async ct => await action(ct), done), cancellationToken);
        return (T)(await done.Task.WaitAsync(cancellationToken))!;
    }

    /// <summary>Runs a command on the loop; its outcome or exception goes to its caller, never to the loop.</summary>
    public static async Task RunAsync(CommandMessage command, CancellationToken cancellationToken)
    {
        try
        {
            command.Done.TrySetResult(await command.Action(cancellationToken));
        }
        catch (Exception ex)
        {
            command.Done.TrySetException(ex);
        }
    }

    internal abstract record Message;

    // ReadAt: when the source handed the batch over (TimeProvider timestamp), where ban latency starts.
    // Slots: the source's read-ahead budget, given back by Done once the loop is through with the batch.
    internal sealed record BatchMessage(SourceBinding Binding, LogBatch Batch, long ReadAt, SemaphoreSlim Slots) : Message
    {
        public void Done()
        {
            try
            {
                Slots.Release();
            }
            catch (ObjectDisposedException)
            {
                // The pump has stopped; nobody waits for the slot.
            }
        }
    }

    internal sealed record TickMessage : Message
    {
        public static TickMessage Instance { get; } = new();
    }

    internal sealed record CommandMessage(Func<CancellationToken, Task<object?>> Action, TaskCompletionSource<object?> Done) : Message;

    private static partial class Log
    {
        [LoggerMessage(1050, LogLevel.Error, "Source {Source} failed; retrying in {Delay}")]
        public static partial void SourceFailed(ILogger logger, string source, TimeSpan delay, Exception exception);

        [LoggerMessage(1051, LogLevel.Information, "Source {Source} ended")]
        public static partial void SourceEnded(ILogger logger, string source);
    }
}
