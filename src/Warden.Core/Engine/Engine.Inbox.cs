using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>What feeds the loop's channel: source pumps, the timer and admin commands.</summary>
public sealed partial class Engine
{
    private async Task PumpAsync(SourceBinding binding, string? checkpoint, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var batch in binding.Source.ReadAsync(checkpoint, cancellationToken))
                {
                    await _inbox.Writer.WriteAsync(new BatchMessage(binding, batch), cancellationToken);
                    checkpoint = batch.Checkpoint;
                    delay = TimeSpan.FromSeconds(1);
                }

                Log.SourceEnded(_log, binding.Source.Id);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SourceFailed(_log, binding.Source.Id, delay, ex);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _inbox.Writer.WriteAsync(TickMessage.Instance, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task RunCommandAsync(CommandMessage command, CancellationToken cancellationToken)
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

    private abstract record Message;

    private sealed record BatchMessage(SourceBinding Binding, LogBatch Batch) : Message;

    private sealed record TickMessage : Message
    {
        public static TickMessage Instance { get; } = new();
    }

    private sealed record CommandMessage(Func<CancellationToken, Task<object?>> Action, TaskCompletionSource<object?> Done) : Message;
}
