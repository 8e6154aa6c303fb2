using System.Net;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Detections;
using Warden.Core.Jails;
using Warden.TestKit;

namespace Warden.Sources.Firewall.Tests;

/// <summary>
/// Sample firewall logs (written here: kern.log lines of an nftables log rule, pf lines as
/// <c>tcpdump -n -e -ttt -i pflog0</c> prints them) through the filter and the real engine.
/// </summary>
public sealed class FirewallLogFilterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("pflog-tcpdump.txt", new[] { "192.0.2.7" })]
    [InlineData("kern.log", new[] { "192.0.2.7", "2001:db8::7" })]
    public async Task Engine_SampleLog_BansScannersButNotTheOnePortClient(string sample, string[] scanners)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Samples", sample));
        var firewall = new InMemoryFirewall();
        var source = new QueueLogSource();
        var policy = new JailPolicy("portscan", 1, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), AddressSet.Empty) { PortScan = new PortScanPolicy(10, 0) };
        await using var engines = new EngineHarness(_time, firewall, new InMemoryStateStore());
        var engine = await engines.StartAsync(new Jail(policy, new FirewallLogFilter(_time)), source);

        source.Write(lines);
        await Eventually.TrueAsync(() => engine.Stats.Lines == lines.Length, Wait, "every line read");
        await Eventually.TrueAsync(() => firewall.Bans.Count == scanners.Length, Wait, "scanners banned");
        await engines.StopAllAsync();

        Assert.All(scanners, s => Assert.True(firewall.Holds(s), s));
        Assert.False(firewall.Holds("198.51.100.20"), "the client of one open port");
    }

    [Fact]
    public void Process_KernelLine_CarriesDestinationAndPort()
    {
        var filter = new FirewallLogFilter(_time);
        var detections = new List<Detection>();

        filter.Process("IN=eth0 OUT= SRC=::ffff:192.0.2.7 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=23", detections);

        var detection = Assert.Single(detections);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), detection.Address);
        Assert.Equal("192.0.2.7", detection.Id);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), detection.Destination);
        Assert.Equal(23, detection.DestinationPort);
        Assert.Equal(_time.GetUtcNow(), detection.Time);
    }

    [Fact]
    public void Process_ApplicationLogLine_FindsNothing()
    {
        var detections = new List<Detection>();

        new FirewallLogFilter(_time).Process("sshd[42]: Failed password for root from 192.0.2.7 port 22 ssh2", detections);

        Assert.Empty(detections);
    }
}
