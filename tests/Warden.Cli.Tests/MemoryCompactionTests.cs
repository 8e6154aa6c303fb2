using Warden.Cli.Hosting;
using Warden.TestKit;

namespace Warden.Cli.Tests;

/// <summary>
/// The daemon's compaction policy: after a compaction that left much live (a burst's list still
/// referenced), exactly one more follows a few quiet looks later; never a loop for a heap that
/// really is that big.
/// </summary>
public sealed class MemoryCompactionTests : IDisposable
{
    private readonly EngineHarness _engines = new(TimeProvider.System, new InMemoryFirewall(), new InMemoryStateStore());

    [Fact]
    public async Task Watch_CompactionLeftMuchLive_OneRetryAfterThreeQuietLooks()
    {
        var engine = await _engines.StartAsync(EngineHarness.Jail("sshd", 22, new FakeLineFilter(TimeProvider.System)), new QueueLogSource());
        var watch = new MemoryCompaction.Watch(engine);
        Assert.False(watch.Due());

        watch.Compacted(MemoryCompaction.RetryAbove + 1);

        Assert.Equal([false, false, true], Enumerable.Range(0, MemoryCompaction.RetryLooks).Select(_ => watch.Due()));
        watch.Compacted(MemoryCompaction.RetryAbove + 1);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.False(watch.Due()));
    }

    [Fact]
    public async Task Watch_CompactionLeftLittle_NoRetry()
    {
        var engine = await _engines.StartAsync(EngineHarness.Jail("sshd", 22, new FakeLineFilter(TimeProvider.System)), new QueueLogSource());
        var watch = new MemoryCompaction.Watch(engine);

        watch.Compacted(MemoryCompaction.RetryAbove / 2);

        Assert.All(Enumerable.Range(0, 20), _ => Assert.False(watch.Due()));
    }

    [Fact]
    public async Task Watch_FleetStillHandlingABurst_CompactsOnlyOnceItStopped()
    {
        var engine = await _engines.StartAsync(EngineHarness.Jail("sshd", 22, new FakeLineFilter(TimeProvider.System)), new QueueLogSource());
        long handled = 0;
        var watch = new MemoryCompaction.Watch(engine, () => handled);
        Assert.False(watch.Due());

        // Own bans being published (or a peer's applied): no line read, yet the daemon is busy.
        handled += MemoryCompaction.Churn;
        Assert.False(watch.Due());
        handled += 1_000;
        Assert.False(watch.Due());

        Assert.True(watch.Due());
        Assert.False(watch.Due());
    }

    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
