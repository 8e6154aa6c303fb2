using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Detection;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>The engine running a port-scan jail: distinct destinations instead of failures.</summary>
public sealed class EnginePortScanTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        _stop.Dispose();
    }

    private static string Packet(string source, int port) => string.Create(CultureInfo.InvariantCulture, $"{source} 10.0.0.1 {port}");

    private static JailPolicy Policy(int maxPorts) =>
        new("portscan", 1, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), AddressSet.Empty) { PortScan = new PortScanPolicy(maxPorts, 0) };

    private async Task<Engine.Engine> StartAsync(QueueLogSource source, JailPolicy policy)
    {
        var jail = new Jail(policy, new FakePacketFilter(_time));
        var engine = new Engine.Engine([jail], [new SourceBinding(source, [jail])], _firewall, _store, _time, NullLogger.Instance);
        _run = engine.RunAsync(_stop.Token);
        await engine.Started.WaitAsync(Wait);
        return engine;
    }

    /// <summary>A fake firewall-log filter: "SRC DST PORT" lines (the real parsers live in Warden.Sources.Firewall).</summary>
    private sealed class FakePacketFilter(TimeProvider time) : ILineFilter
    {
        public void Process(string line, ICollection<Detection.Detection> detections)
        {
            var parts = line.Split(' ');
            var source = IPAddress.Parse(parts[0]);
            detections.Add(new Detection.Detection(parts[0], source, time.GetUtcNow(), line, Detection.Detection.NoFields)
            {
                Destination = IPAddress.Parse(parts[1]),
                DestinationPort = int.Parse(parts[2], CultureInfo.InvariantCulture),
            });
        }
    }
}
