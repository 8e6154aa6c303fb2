using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Engine;
using Warden.Core.Ports;

namespace Warden.Core.Tests;

public sealed class InboxTests
{
    [Fact]
    public async Task Pump_LoopNotReading_ReadsOnlyItsBudgetAhead()
    {
        // A source with an endless backlog (a flood) and a loop that has not taken anything yet:
        // the pump may hold BatchesPerSource batches, plus the one it waits to hand over.
        var inbox = new Inbox(TimeProvider.System, NullLogger.Instance);
        var source = new EndlessSource();
        using var stop = new CancellationTokenSource();
        var pump = inbox.PumpAsync(new SourceBinding(source, []), null, stop.Token);

        await Eventually(() => source.Yielded >= Inbox.BatchesPerSource + 1);
        var reader = inbox.Reader;
        var pulled = 0;
        while (reader.TryRead(out _))
        {
            pulled++;
        }

        // Only the budget reached the channel (an unbounded read-ahead fills it with the flood),
        // and taken off but not yet processed, it still holds the source back.
        Assert.Equal(Inbox.BatchesPerSource, pulled);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(Inbox.BatchesPerSource + 1, source.Yielded);
        await stop.CancelAsync();
        await pump;
    }

    [Fact]
    public async Task Pump_BatchesDone_ReadsOn()
    {
        var inbox = new Inbox(TimeProvider.System, NullLogger.Instance);
        var source = new EndlessSource();
        using var stop = new CancellationTokenSource();
        var pump = inbox.PumpAsync(new SourceBinding(source, []), null, stop.Token);

        var processed = 0;
        while (processed < 50)
        {
            var message = await inbox.Reader.ReadAsync();
            ((Inbox.BatchMessage)message).Done();
            processed++;
        }

        Assert.True(source.Yielded >= 50, $"yielded {source.Yielded}");
        Assert.True(source.Yielded <= 50 + Inbox.BatchesPerSource + 1, $"yielded {source.Yielded}");
        await stop.CancelAsync();
        await pump;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(5);
        }
    }

    private sealed class EndlessSource : ILogSource
    {
        private int _yielded;

        public string Id => "test:endless";

        public int Yielded => Volatile.Read(ref _yielded);

        public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; ; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Interlocked.Increment(ref _yielded);
                yield return new LogBatch([$"line {i}"], i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await Task.Yield();
            }
        }
    }
}
