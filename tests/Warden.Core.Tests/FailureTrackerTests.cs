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
}
