using Warden.Firewall.Nftables.Ruleset;

namespace Warden.Firewall.Nftables.Tests;

public sealed class IntervalPartitionTests
{
    private static readonly DateTimeOffset T1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddHours(1);

    [Fact]
    public void Compute_Disjoint_KeepsEachAsIs()
    {
        var result = IntervalPartition.Compute([new(10, 19, T1), new(30, 39, T2)]);

        Assert.Equal([new IntervalSegment(10, 19, T1), new IntervalSegment(30, 39, T2)], result);
    }

    [Fact]
    public void Compute_InnerOutlivesOuter_SplitsOuterAroundInner()
    {
        var result = IntervalPartition.Compute([new(0, 99, T1), new(40, 49, T2)]);

        Assert.Equal([new IntervalSegment(0, 39, T1), new IntervalSegment(40, 49, T2), new IntervalSegment(50, 99, T1)], result);
    }

    [Fact]
    public void Compute_OuterOutlivesInner_OneSegment()
    {
        var result = IntervalPartition.Compute([new(40, 49, T1), new(0, 99, T2)]);

        Assert.Equal([new IntervalSegment(0, 99, T2)], result);
    }

    [Fact]
    public void Compute_PermanentInner_WinsOverAnyExpiry()
    {
        var result = IntervalPartition.Compute([new(0, 99, T2), new(0, 9, null), new(90, 99, T1)]);

        Assert.Equal([new IntervalSegment(0, 9, null), new IntervalSegment(10, 99, T2)], result);
    }

    [Fact]
    public void Compute_WholeIpv6Space_EndsAtMaximumWithoutOverflow()
    {
        var result = IntervalPartition.Compute([new(0, UInt128.MaxValue, T1), new(UInt128.MaxValue - 9, UInt128.MaxValue, T2)]);

        Assert.Equal([new IntervalSegment(0, UInt128.MaxValue - 10, T1), new IntervalSegment(UInt128.MaxValue - 9, UInt128.MaxValue, T2)], result);
    }

    [Fact]
    public void Compute_PartialOverlap_Throws()
    {
        Assert.Throws<ArgumentException>(() => IntervalPartition.Compute([new(0, 50, T1), new(40, 60, T2)]));
    }
}
