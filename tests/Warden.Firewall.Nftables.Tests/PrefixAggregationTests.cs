using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Jails;
using Warden.Core.Policy;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>The engine's /64 aggregation (issue 4) ending up in a real nftables set, in a namespace.</summary>
public sealed class PrefixAggregationTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("pa");
    private readonly NftablesFirewall _firewall;
    private readonly EngineHarness _engines;

    public PrefixAggregationTests()
    {
        _firewall = NftablesFirewall.Create(new NftablesOptions { NetworkNamespace = _ns.Name }, _time, NullLogger.Instance);
        _engines = new EngineHarness(_time, _firewall, new InMemoryStateStore());
    }

    [Fact]
    public async Task ThreeAddressesOfOne64_TheKernelSetHoldsThePrefixInsteadOfTheAddresses()
    {
        var ignore = new AddressSet([AddressParsing.HostNetwork(System.Net.IPAddress.Parse("2001:db8:0:9::53"))]);
        var policy = new JailPolicy("sshd", 1, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), ignore)
        {
            Ports = [new PortRange(22, 22)],
            Aggregation = new PrefixAggregation(),
        };
        var source = await StartAsync(policy);

        source.Write(FakeLineFilter.Line("2001:db8:0:1::1"), FakeLineFilter.Line("2001:db8:0:1::2"), FakeLineFilter.Line("2001:db8:0:9::1"), FakeLineFilter.Line("2001:db8:0:9::2"));
        await Eventually.TrueAsync(() => NftProbe.Elements(_ns, "sshd_h6").Count == 4, Wait, "four single bans in sshd_h6");
        source.Write(FakeLineFilter.Line("2001:db8:0:1:dead:beef::3"), FakeLineFilter.Line("2001:db8:0:9::3"));

        await Eventually.TrueAsync(() => NftProbe.Elements(_ns, "sshd_n6").Count == 1, Wait, "the /64 in sshd_n6");
        var prefix = Assert.Single(NftProbe.Elements(_ns, "sshd_n6"));
        Assert.Equal("2001:db8:0:1::/64", prefix.Value);
        Assert.InRange(prefix.TimeoutSeconds ?? 0, 3500, 3600);

        // The singles of 2001:db8:0:1::/64 are lifted; 2001:db8:0:9::/64 holds an ignored address, so it stays single bans.
        await Eventually.TrueAsync(() => NftProbe.Elements(_ns, "sshd_h6").Count == 3, Wait, "single bans replaced");
        Assert.Equal(
            ["2001:db8:0:9::1", "2001:db8:0:9::2", "2001:db8:0:9::3"],
            NftProbe.Elements(_ns, "sshd_h6").Select(e => e.Value).Order(StringComparer.Ordinal));
    }

    // IDisposable, not IAsyncDisposable: this xunit never called the latter on a test class, and
    // every run left its namespace behind.
    public void Dispose()
    {
        try
        {
            _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _firewall.Dispose();
        }
        finally
        {
            _ns.Dispose();
        }
    }

    private async Task<QueueLogSource> StartAsync(JailPolicy policy)
    {
        var source = new QueueLogSource();
        await _engines.StartAsync(new Jail(policy, new FakeLineFilter(_time)), source);
        return source;
    }
}
