using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Detections;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>The engine running a port-scan jail: distinct destinations instead of failures.</summary>
public sealed class BanEnginePortScanTests : IDisposable
{
    private static readonly TimeSpan Wait = EngineHarness.Wait;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly EngineHarness _engines;

    public BanEnginePortScanTests() => _engines = new EngineHarness(_time, _firewall, _store);

    [Fact]
    public async Task RunAsync_SourceTouchesMorePortsThanMaxPorts_IsBanned()
    {
        var source = new QueueLogSource();
        var engine = await StartAsync(source, Policy(maxPorts: 5));

        source.Write([.. Enumerable.Range(1, 6).Select(p => Packet("192.0.2.7", p))]);

        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "scanner banned");
        Assert.Equal(1, engine.Jails[0].Stats.Bans);
        Assert.Equal(6, _store.AllBans.Single().Failures);
        Assert.Empty(_store.Failures);
    }

    [Fact]
    public async Task RunAsync_ClientHittingOnePortThousandsOfTimes_IsNotBanned()
    {
        var source = new QueueLogSource();
        var engine = await StartAsync(source, Policy(maxPorts: 5));

        source.Write([.. Enumerable.Repeat(Packet("192.0.2.8", 443), 5000)]);
        source.Write([.. Enumerable.Range(1, 5).Select(p => Packet("192.0.2.9", p))]);

        await Eventually.TrueAsync(() => engine.Stats.Lines == 5005, Wait, "lines read");
        Assert.Empty(_firewall.Bans);
    }

    [Fact]
    public async Task RunAsync_ScannerInIgnoreIp_IsNeverBanned()
    {
        var source = new QueueLogSource();
        var ignore = new AddressSet([AddressParsing.ToNetwork(IPAddress.Parse("192.0.2.0"), 24)]);
        var engine = await StartAsync(source, Policy(maxPorts: 5) with { Ignore = ignore });

        source.Write([.. Enumerable.Range(1, 100).Select(p => Packet("192.0.2.7", p))]);
        source.Write([.. Enumerable.Range(1, 6).Select(p => Packet("198.51.100.1", p))]);

        await Eventually.TrueAsync(() => _firewall.Holds("198.51.100.1"), Wait, "other scanner banned");
        Assert.False(_firewall.Holds("192.0.2.7"));
        Assert.Equal(100, engine.Jails[0].Stats.Ignored);
    }

    // IDisposable: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017), which left its engines running.
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static string Packet(string source, int port) => string.Create(CultureInfo.InvariantCulture, $"{source} 10.0.0.1 {port}");

    private static JailPolicy Policy(int maxPorts) =>
        new("portscan", 1, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), AddressSet.Empty) { PortScan = new PortScanPolicy(maxPorts, 0) };

    private Task<BanEngine> StartAsync(QueueLogSource source, JailPolicy policy) =>
        _engines.StartAsync(new Jail(policy, new FakePacketFilter(_time)), source);

    /// <summary>A fake firewall-log filter: "SRC DST PORT" lines (the real parsers live in Warden.Sources.Firewall).</summary>
    private sealed class FakePacketFilter(TimeProvider time) : ILineFilter
    {
        public void Process(string line, ICollection<Detection> detections)
        {
            var parts = line.Split(' ');
            var source = IPAddress.Parse(parts[0]);
            detections.Add(new Detection(parts[0], source, time.GetUtcNow(), line, Detection.NoFields)
            {
                Destination = IPAddress.Parse(parts[1]),
                DestinationPort = int.Parse(parts[2], CultureInfo.InvariantCulture),
            });
        }
    }
}
