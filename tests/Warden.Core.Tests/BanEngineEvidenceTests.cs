using System.Net;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Engine;
using Warden.TestKit;

namespace Warden.Core.Tests;

/// <summary>Evidence through the whole loop: from a source's lines to <see cref="BanEngine.ShowAsync"/>, and out again after <c>[warden] history</c>.</summary>
public sealed class BanEngineEvidenceTests : IDisposable
{
    private static readonly TimeSpan Wait = EngineHarness.Wait;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFirewall _firewall = new();
    private readonly InMemoryStateStore _store = new();
    private readonly EngineHarness _engines;

    public BanEngineEvidenceTests() => _engines = new EngineHarness(_time, _firewall, _store) { History = _store, Evidence = _store };

    [Fact]
    public async Task ShowAsync_AfterABan_HasTheSourceLinesAndTheFailuresOfOthers()
    {
        var source = new QueueLogSource("file:/var/log/auth.log");
        var engine = await StartAsync(source, new EngineOptions());

        source.Write(FakeLineFilter.Line("192.0.2.7"), "noise", FakeLineFilter.Line("198.51.100.1"), FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"));
        await Eventually.TrueAsync(() => _firewall.Holds("192.0.2.7"), Wait, "ban in firewall");

        var report = await engine.ShowAsync(Host("192.0.2.7"), 10, CancellationToken.None);
        var other = await engine.ShowAsync(Host("198.51.100.1"), 10, CancellationToken.None);

        var ban = Assert.Single(report.Bans).Ban;
        Assert.Equal(3, ban.Evidence.Count);
        Assert.All(ban.Evidence, e => Assert.Equal(("file:/var/log/auth.log", "fail 192.0.2.7", _time.GetUtcNow()), (e.Source, e.Line, e.Time)));
        Assert.Empty(report.Failures);
        Assert.Empty(other.Bans);
        Assert.Equal("198.51.100.1", Assert.Single(other.Failures).Id);
    }

    [Fact]
    public async Task RunAsync_BanEndedLongerAgoThanHistory_IsPurged()
    {
        var source = new QueueLogSource("file:/var/log/auth.log");
        var engine = await StartAsync(source, new EngineOptions { History = TimeSpan.FromDays(1) });
        source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"));
        await Eventually.TrueAsync(() => _store.History.Count == 1, Wait, "ban in store");

        // The ban (one hour) ends, then a day and more passes; the hourly purge runs on a tick.
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(2));

        await Eventually.TrueAsync(() => _store.History.Count == 0, Wait, "ban purged from the history");
        Assert.Empty((await engine.ShowAsync(Host("192.0.2.7"), 10, CancellationToken.None)).Bans);
    }

    // IDisposable: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017), which left its engines running.
    public void Dispose() => _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static IPNetwork Host(string address) => AddressParsing.HostNetwork(IPAddress.Parse(address));

    private Task<BanEngine> StartAsync(QueueLogSource source, EngineOptions options) =>
        _engines.StartAsync(EngineHarness.Jail("sshd", 22, new FakeLineFilter(_time)), source, options);
}
