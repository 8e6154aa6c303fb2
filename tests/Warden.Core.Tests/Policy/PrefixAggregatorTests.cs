using System.Net;
using Warden.Core.Policy;

namespace Warden.Core.Tests.Policy;

public sealed class PrefixAggregatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_ThirdDistinctAddressOfA64_ReturnsThePrefix()
    {
        var aggregator = new PrefixAggregator(new PrefixAggregation(), TimeSpan.FromMinutes(10));

        Assert.Null(aggregator.Record(IPAddress.Parse("2001:db8:0:1::1"), Now));
        Assert.Null(aggregator.Record(IPAddress.Parse("2001:db8:0:1::1"), Now));
        Assert.Null(aggregator.Record(IPAddress.Parse("2001:db8:0:2::1"), Now));
        Assert.Null(aggregator.Record(IPAddress.Parse("2001:db8:0:1::2"), Now));
        var prefix = aggregator.Record(IPAddress.Parse("2001:db8:0:1:ffff::3"), Now);

        Assert.Equal("2001:db8:0:1::/64", prefix?.ToString());
        Assert.Equal(1, aggregator.Count);
    }

    [Fact]
    public void Record_AddressesSpreadOverMoreThanFindTime_DoNotAggregate()
    {
        var aggregator = new PrefixAggregator(new PrefixAggregation { Threshold = 2 }, TimeSpan.FromMinutes(10));

        aggregator.Record(IPAddress.Parse("2001:db8::1"), Now);

        Assert.Null(aggregator.Record(IPAddress.Parse("2001:db8::2"), Now + TimeSpan.FromMinutes(11)));
    }

    [Fact]
    public void Record_IPv4_AggregatesOnlyWhenOptedIn()
    {
        var off = new PrefixAggregator(new PrefixAggregation { Threshold = 2 }, TimeSpan.FromMinutes(10));
        var on = new PrefixAggregator(new PrefixAggregation { Threshold = 2, IPv4Prefix = 24 }, TimeSpan.FromMinutes(10));

        off.Record(IPAddress.Parse("192.0.2.1"), Now);
        on.Record(IPAddress.Parse("192.0.2.1"), Now);

        Assert.Null(off.Record(IPAddress.Parse("192.0.2.2"), Now));
        Assert.Equal("192.0.2.0/24", on.Record(IPAddress.Parse("::ffff:192.0.2.2"), Now)?.ToString());
    }

    [Fact]
    public void Evict_AfterTheWindow_ForgetsEveryPrefix()
    {
        var aggregator = new PrefixAggregator(new PrefixAggregation(), TimeSpan.FromMinutes(10));
        for (var i = 0; i < 1000; i++)
        {
            // One address in each of 1000 different /64s.
            aggregator.Record(IPAddress.Parse($"2001:db8:0:{i:x}::1"), Now);
        }

        Assert.Equal(1000, aggregator.Count);
        aggregator.Evict(Now + TimeSpan.FromMinutes(11));
        Assert.Equal(0, aggregator.Count);
    }
}
