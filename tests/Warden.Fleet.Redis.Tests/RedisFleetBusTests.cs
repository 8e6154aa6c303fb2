using System.Net;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Fleet;
using Warden.TestKit;

namespace Warden.Fleet.Redis.Tests;

/// <summary>The bus against Debian's real redis-server, started by each test on loopback with its data in a temp dir.</summary>
public sealed class RedisFleetBusTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 7, 0, 0, TimeSpan.Zero));
    private readonly FleetSigner _signer = new("a", FleetKeys.ImportPrivate(FleetKeys.Generate().PrivatePem, "a"));
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    public void Dispose() => _signer.Dispose();

    private Task<RedisFleetBus> BusAsync(TimeSpan? retention = null) => RedisFleetBus.ConnectAsync(
        new RedisFleetOptions { Url = _redis.Url, Node = "a", Retention = retention ?? TimeSpan.FromDays(7) }, _time);

    private FleetEntry Ban(string target, TimeSpan? duration = null)
    {
        var now = _time.GetUtcNow();
        return _signer.Sign(new FleetDecision("a", _signer.NextSequence(now), DecisionKind.Ban, "sshd", IPNetwork.Parse(target), now, now + (duration ?? TimeSpan.FromHours(1)), "sshd: 5 failures", ""));
    }

    private FleetEntry Unban(string target)
    {
        var now = _time.GetUtcNow();
        return _signer.Sign(new FleetDecision("a", _signer.NextSequence(now), DecisionKind.Unban, "sshd", IPNetwork.Parse(target), now, null, "admin", ""));
    }

    private static FleetEntry Parse(Core.Ports.FleetRawEntry raw)
    {
        Assert.True(DecisionText.TryParse(raw.Fields, out var entry, out var error), error);
        return entry;
    }

    [Fact]
    public async Task Publish_ThenRead_ReturnsTheSignedFieldsInOrder()
    {
        await using var bus = await BusAsync();
        var entries = new[] { Ban("192.0.2.1/32"), Ban("192.0.2.2/32"), Unban("192.0.2.1/32") };

        await bus.PublishAsync(entries, default);
        var read = await bus.ReadAsync(null, 100, default);

        Assert.False(read.Gap);
        Assert.Equal(entries.Select(e => e.Decision), read.Entries.Select(e => Parse(e).Decision));
        Assert.Equal(entries.Select(e => e.Signature), read.Entries.Select(e => Parse(e).Signature));
    }

    [Fact]
    public async Task Read_FromAPosition_ReturnsOnlyLaterEntries()
    {
        await using var bus = await BusAsync();
        await bus.PublishAsync([Ban("192.0.2.1/32")], default);
        var first = await bus.ReadAsync(null, 100, default);
        await bus.PublishAsync([Ban("192.0.2.2/32")], default);

        var next = await bus.ReadAsync(first.Position, 100, default);
        var none = await bus.ReadAsync(next.Position, 100, default);

        Assert.Equal("192.0.2.2", Assert.Single(next.Entries.Select(e => Parse(e).Decision.Target.BaseAddress.ToString())));
        Assert.Empty(none.Entries);
        Assert.Equal(next.Position, none.Position);
    }

    [Fact]
    public async Task Read_MoreThanMax_ComesInPages()
    {
        await using var bus = await BusAsync();
        await bus.PublishAsync([.. Enumerable.Range(1, 450).Select(i => Ban($"10.0.{i / 256}.{i % 256}/32"))], default);

        var seen = 0;
        string? position = null;
        while (true)
        {
            var read = await bus.ReadAsync(position, 100, default);
            if (read.Entries.Count == 0)
            {
                break;
            }

            Assert.True(read.Entries.Count <= 100);
            seen += read.Entries.Count;
            position = read.Position;
        }

        Assert.Equal(450, seen);
    }

    [Fact]
    public async Task Entry_IsPlainTextAnAdminReadsWithRedisCli()
    {
        await using var bus = await BusAsync();
        await bus.PublishAsync([Ban("192.0.2.7/32")], default);

        var xrange = (await _redis.CliAsync("XRANGE", "warden:decisions", "-", "+")).EnsureSuccess().StdOut;

        Assert.Contains("origin\na\n", xrange, StringComparison.Ordinal);
        Assert.Contains("target\n192.0.2.7\n", xrange, StringComparison.Ordinal);
        Assert.Contains("reason\nsshd: 5 failures\n", xrange, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_HoldsBansInForceAndNotUnbannedOnes()
    {
        await using var bus = await BusAsync();
        await bus.PublishAsync([Ban("192.0.2.1/32"), Ban("192.0.2.2/32"), Unban("192.0.2.1/32")], default);

        var snapshot = await bus.SnapshotAsync(default);

        var text = Assert.Single(snapshot.Entries);
        Assert.True(DecisionText.TryParseLines(text, out var entry, out var error), error);
        Assert.Equal("192.0.2.2", entry.Decision.Target.BaseAddress.ToString());
        var after = await bus.ReadAsync(snapshot.Position, 100, default);
        Assert.False(after.Gap);
        Assert.Empty(after.Entries);
    }

    [Fact]
    public async Task Read_StreamTrimmedPastThePosition_ReportsAGap()
    {
        await using var bus = await BusAsync(retention: TimeSpan.FromMinutes(10));
        await bus.PublishAsync([Ban("192.0.2.1/32")], default);
        var position = (await bus.ReadAsync(null, 100, default)).Position;
        await bus.PublishAsync([Ban("192.0.2.2/32")], default);

        // An exact trim of everything (the publisher's MINID is approximate: Redis trims whole nodes).
        (await _redis.CliAsync("XTRIM", "warden:decisions", "MAXLEN", "0")).EnsureSuccess();

        var read = await bus.ReadAsync(position, 100, default);

        Assert.True(read.Gap);
    }

    [Fact]
    public async Task Publish_OldEntries_AreTrimmedToTheRetention()
    {
        // Stream ids are the server's clock, so this test runs on the real one with a 1 s retention.
        await using var bus = await RedisFleetBus.ConnectAsync(new RedisFleetOptions { Url = _redis.Url, Node = "a", Retention = TimeSpan.FromSeconds(1) }, TimeProvider.System);
        await bus.PublishAsync([.. Enumerable.Range(1, 300).Select(i => Ban($"10.1.{i / 256}.{i % 256}/32"))], default);

        // MINID ~ drops whole radix nodes (100 entries each by default) once they are all older.
        await Eventually.TrueAsync(async () =>
        {
            await bus.PublishAsync([Ban("10.2.0.1/32")], default);
            return int.Parse((await _redis.CliAsync("XLEN", "warden:decisions")).StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture) < 200;
        }, TimeSpan.FromSeconds(20), "the old entries trimmed");
    }

    [Fact]
    public async Task Read_RedisRestartedWithDataWiped_ReportsAGapEvenAfterNewEntries()
    {
        await using var bus = await BusAsync();
        await bus.PublishAsync([Ban("192.0.2.1/32")], default);
        var position = (await bus.ReadAsync(null, 100, default)).Position;

        await _redis.RestartAsync(wipe: true);
        await Eventually.TrueAsync(() => bus.IsConnected, TimeSpan.FromSeconds(10), "the bus reconnected");
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await bus.PublishAsync([Ban("192.0.2.9/32")], default);
                return true;
            }
            catch (Core.Ports.FleetBusException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "a publish after the restart");

        var read = await bus.ReadAsync(position, 100, default);

        Assert.True(read.Gap);
    }

    [Fact]
    public async Task Read_RedisRestartedWithItsData_ResumesWithoutAGap()
    {
        await using var bus = await BusAsync();
        await bus.PublishAsync([Ban("192.0.2.1/32")], default);
        var position = (await bus.ReadAsync(null, 100, default)).Position;

        await _redis.RestartAsync(wipe: false);
        await Eventually.TrueAsync(() => bus.IsConnected, TimeSpan.FromSeconds(10), "the bus reconnected");
        await bus.PublishAsync([Ban("192.0.2.2/32")], default);

        var read = await bus.ReadAsync(position, 100, default);

        Assert.False(read.Gap);
        Assert.Equal("192.0.2.2", Parse(Assert.Single(read.Entries)).Decision.Target.BaseAddress.ToString());
    }

    [Fact]
    public async Task Publish_RedisDown_ThrowsFleetBusExceptionNamingTheServer()
    {
        await using var bus = await BusAsync();
        _redis.Kill();

        var error = await Assert.ThrowsAsync<Core.Ports.FleetBusException>(() => bus.PublishAsync([Ban("192.0.2.1/32")], default));

        Assert.Contains($"127.0.0.1:{_redis.Port}", error.Message, StringComparison.Ordinal);
        Assert.False(bus.IsConnected);
    }

    [Fact]
    public async Task WaitAsync_AnotherNodePublishes_WakesBeforeTheTimeout()
    {
        await using var reader = await BusAsync();
        await using var writer = await BusAsync();
        await reader.WaitAsync(TimeSpan.Zero, default);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var waiting = reader.WaitAsync(TimeSpan.FromSeconds(30), default);
        await writer.PublishAsync([Ban("192.0.2.1/32")], default);
        await waiting;

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), stopwatch.Elapsed.ToString());
    }
}
