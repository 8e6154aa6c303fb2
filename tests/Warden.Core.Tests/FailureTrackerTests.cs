using Warden.Core.Detections;

namespace Warden.Core.Tests;

public class FailureTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_MaxRetryWithinFindTime_ReachesMaxRetryAndForgetsId()
    {
        var tracker = new FailureTracker(maxRetry: 3, findTime: TimeSpan.FromMinutes(10));

        Assert.Equal(1, tracker.Add("192.0.2.1", T0));
        Assert.Equal(2, tracker.Add("192.0.2.1", T0.AddMinutes(4)));
        Assert.Equal(3, tracker.Add("192.0.2.1", T0.AddMinutes(9)));
        Assert.Equal(0, tracker.Count);
        Assert.Equal(1, tracker.Add("192.0.2.1", T0.AddMinutes(9)));
    }

    [Fact]
    public void Add_OldestFailureOutsideWindow_IsNotCounted()
    {
        var tracker = new FailureTracker(maxRetry: 3, findTime: TimeSpan.FromMinutes(10));

        tracker.Add("192.0.2.1", T0);
        tracker.Add("192.0.2.1", T0.AddMinutes(8));

        // The first failure is 11 minutes before the third: only two are inside the window.
        Assert.Equal(2, tracker.Add("192.0.2.1", T0.AddMinutes(11)));
        Assert.Equal(3, tracker.Add("192.0.2.1", T0.AddMinutes(12)));
    }

    [Fact]
    public void Add_HugeMaxRetry_CostsWhatTheIdsUse()
    {
        // maxretry = 100000000 once made every tracked id allocate a ring of that size (800 MB):
        // the daemon died of OutOfMemoryException on its first failure.
        var tracker = new FailureTracker(maxRetry: 100_000_000, findTime: TimeSpan.FromMinutes(10));
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(1, tracker.Add($"192.0.2.{i % 250}/{i}", T0));
        }

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20, "more than 4 MiB for 1,000 ids failing once");
        Assert.Equal(1000, tracker.Count);
    }

    [Fact]
    public void Add_RingGrowsPastItsFirstSize_KeepsTheWindowExact()
    {
        // The ring starts small and doubles: counts across the growth (4 -> 8 -> 10) are exact,
        // and the oldest attempts still leave the window in order.
        var tracker = new FailureTracker(maxRetry: 10, findTime: TimeSpan.FromMinutes(10));
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(i + 1, tracker.Add("192.0.2.1", T0.AddMinutes(i)));
        }

        // At minute 12 the attempts of minutes 0 and 1 are outside: 7 of the 9 remain, plus this one.
        Assert.Equal(8, tracker.Add("192.0.2.1", T0.AddMinutes(12)));
        Assert.Equal(
            [.. Enumerable.Range(0, 9).Select(i => T0.AddMinutes(i)), T0.AddMinutes(12)],
            tracker.Counted().Select(c => c.Time));
    }

    [Fact]
    public void Add_SeparateIds_CountSeparately()
    {
        var tracker = new FailureTracker(maxRetry: 2, findTime: TimeSpan.FromMinutes(10));

        Assert.Equal(1, tracker.Add("192.0.2.1", T0));
        Assert.Equal(1, tracker.Add("192.0.2.2", T0));
        Assert.Equal(2, tracker.Count);
    }

    [Fact]
    public void Add_AttemptsGreaterThanOne_CountsEach()
    {
        var tracker = new FailureTracker(maxRetry: 5, findTime: TimeSpan.FromMinutes(10));

        Assert.Equal(3, tracker.Add("192.0.2.1", T0, attempts: 3));
        Assert.Equal(5, tracker.Add("192.0.2.1", T0, attempts: 2));
    }

    [Fact]
    public void Evict_IdsOlderThanFindTime_AreDropped()
    {
        var tracker = new FailureTracker(maxRetry: 5, findTime: TimeSpan.FromMinutes(10));
        tracker.Add("192.0.2.1", T0);
        tracker.Add("192.0.2.2", T0.AddMinutes(5));

        var dropped = tracker.Evict(T0.AddMinutes(12));

        Assert.Equal(1, dropped);
        Assert.Equal(1, tracker.Count);
    }

    [Fact]
    public void Evict_PassesThatCanDropNothing_ThenEachIdAtItsTime()
    {
        // Evict skips its scan while nothing can be old enough; ids added between passes, one
        // older than every id seen at the last pass, must still go when their time comes.
        var tracker = new FailureTracker(maxRetry: 5, findTime: TimeSpan.FromMinutes(10));
        tracker.Add("192.0.2.1", T0.AddMinutes(5));
        Assert.Equal(0, tracker.Evict(T0.AddMinutes(6)));
        tracker.Add("192.0.2.2", T0);
        tracker.Add("192.0.2.3", T0.AddMinutes(20));

        Assert.Equal(1, tracker.Evict(T0.AddMinutes(11)));
        Assert.Equal(0, tracker.Evict(T0.AddMinutes(14)));
        Assert.Equal(1, tracker.Evict(T0.AddMinutes(16)));
        tracker.Add("192.0.2.3", T0.AddMinutes(29));
        Assert.Equal(0, tracker.Evict(T0.AddMinutes(31)));
        Assert.Equal(1, tracker.Evict(T0.AddMinutes(40)));
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void Add_BeyondCapacity_KeepsCountBounded()
    {
        var tracker = new FailureTracker(maxRetry: 5, findTime: TimeSpan.FromHours(1), capacity: 1000);

        for (var i = 0; i < 10_000; i++)
        {
            tracker.Add($"id{i}", T0.AddSeconds(i));
        }

        Assert.InRange(tracker.Count, 1, 1000);
        // The newest id survives the trimming; the oldest does not.
        Assert.Equal(2, tracker.Add("id9999", T0.AddSeconds(10_000)));
        Assert.Equal(1, tracker.Add("id0", T0.AddSeconds(10_001)));
    }

    [Fact]
    public void Add_FloodSharingOneSecondAtCapacity_DropsAnEighthAndKeepsTheAttacker()
    {
        // Syslog stamps whole seconds: a flood of distinct ids all share the attacker's second.
        const int capacity = 800;
        var tracker = new FailureTracker(maxRetry: 3, findTime: TimeSpan.FromMinutes(10), capacity: capacity);
        var next = 0;
        void Flood(int ids)
        {
            for (var i = 0; i < ids; i++)
            {
                tracker.Add($"flood{next++}", T0);
            }
        }

        Flood(capacity);
        Assert.Equal(1, tracker.Add("attacker", T0));
        Assert.Equal(capacity - (capacity / 8) + 1, tracker.Count);
        Flood(capacity / 2);
        Assert.Equal(2, tracker.Add("attacker", T0));
        Flood(capacity / 2);

        Assert.Equal(3, tracker.Add("attacker", T0));
    }

    [Fact]
    public void Fail2BanWindow_ScalesTheCountOnceTheFirstFailureLeavesFindtime()
    {
        var fail2ban = new FailureTracker(maxRetry: 3, findTime: TimeSpan.FromSeconds(10), window: FindTimeWindow.Fail2Ban);
        var sliding = new FailureTracker(maxRetry: 3, findTime: TimeSpan.FromSeconds(10));
        foreach (var tracker in new[] { fail2ban, sliding })
        {
            tracker.Add("192.0.2.1", T0);
            tracker.Add("192.0.2.1", T0.AddSeconds(2));
        }

        // At 11 s fail2ban scales 2 failures over 11 s to round(2 / 11 * 10) = 2 in the window,
        // then adds the third: a ban. Only 2 failures are really inside the last 10 s.
        Assert.Equal(3, fail2ban.Add("192.0.2.1", T0.AddSeconds(11)));
        Assert.Equal(2, sliding.Add("192.0.2.1", T0.AddSeconds(11)));
    }

    [Fact]
    public void Fail2BanWindow_CountedFailures_RebuildTheSameCount()
    {
        var tracker = new FailureTracker(maxRetry: 9, findTime: TimeSpan.FromSeconds(10), window: FindTimeWindow.Fail2Ban);
        foreach (var second in new[] { 0, 3, 4, 12, 13, 19 })
        {
            tracker.Add("192.0.2.1", T0.AddSeconds(second));
        }

        var rebuilt = new FailureTracker(maxRetry: 9, findTime: TimeSpan.FromSeconds(10), window: FindTimeWindow.Fail2Ban);
        var count = 0;
        foreach (var (id, time) in tracker.Counted().ToList())
        {
            count = rebuilt.Add(id, time);
        }

        // Both continue from the same count: the next failure gives the same number.
        Assert.Equal(tracker.Add("192.0.2.1", T0.AddSeconds(20)), rebuilt.Add("192.0.2.1", T0.AddSeconds(20)));
        Assert.InRange(count, 1, 8);
    }
}
