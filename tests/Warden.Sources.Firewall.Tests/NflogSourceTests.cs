using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Warden.Core.Ports;
using Warden.Sources.Firewall.Nflog;
using Warden.TestKit;

namespace Warden.Sources.Firewall.Tests;

/// <summary>
/// The NFLOG source against the real kernel: a namespace created here holds an nftables
/// <c>log group</c> rule, a peer namespace sends to it, the source's socket is opened inside it.
/// </summary>
public sealed class NflogSourceTests : IDisposable
{
    private const int Group = 9;
    private static int _next;
    private readonly NetworkNamespace _server = NetworkNamespace.Create("nfl");
    private readonly NetworkNamespace _peer = NetworkNamespace.Create("nfp");
    private readonly string _net;

    public NflogSourceTests()
    {
        _net = $"10.{120 + Interlocked.Increment(ref _next)}";
        _server.Link(_peer, $"{_net}.1.1/24", $"{_net}.1.2/24");
        _server.Exec("nft", "add table inet t; add chain inet t input { type filter hook input priority 0; }; "
            + $"add rule inet t input ip saddr {_net}.1.2 counter log group {Group}");
    }

    [Fact]
    public async Task ReadAsync_PacketsOfLogGroupRule_ArriveAsKernelStyleLines()
    {
        var source = NflogSource.Create(Group);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        IAsyncEnumerator<LogBatch>? reader = null;
        // The socket opens before the first batch, synchronously, on the namespaced thread.
        NamespacedThread.Run(_server.Name, () =>
        {
            reader = source.ReadAsync(null, stop.Token).GetAsyncEnumerator(stop.Token);
            Assert.True(reader.MoveNextAsync().AsTask().GetAwaiter().GetResult());
        });
        await using var batches = reader!;
        Assert.Empty(batches.Current.Lines);

        foreach (var port in new[] { 1001, 1002, 1003 })
        {
            await _peer.CanConnectAsync($"{_net}.1.1", port, TimeSpan.FromSeconds(1));
        }

        var lines = new List<string>();
        while (!lines.Any(l => l.Contains("DPT=1003", StringComparison.Ordinal)) && await batches.MoveNextAsync())
        {
            lines.AddRange(batches.Current.Lines);
        }

        foreach (var port in new[] { 1001, 1002, 1003 })
        {
            Assert.Contains($"NFLOG group={Group} IN=nflog OUT= SRC={_net}.1.2 DST={_net}.1.1 PROTO=TCP DPT={port}", lines);
        }

        Assert.Equal(0, source.Dropped);
    }

    [Fact]
    public async Task ReadAsync_NobodyReadsDuringAFlood_DropsAreCountedAndMeasured()
    {
        var source = NflogSource.Create(Group);
        long measured = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NflogSource.MeterName && instrument.Name == "source_lines_dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "source" && (string?)tag.Value == source.Id)
                {
                    Interlocked.Add(ref measured, value);
                }
            }
        });
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        IAsyncEnumerator<LogBatch>? reader = null;
        NamespacedThread.Run(_server.Name, () =>
        {
            reader = source.ReadAsync(null, stop.Token).GetAsyncEnumerator(stop.Token);
            Assert.True(reader.MoveNextAsync().AsTask().GetAwaiter().GetResult());
        });
        await using var batches = reader!;

        // The engine stalls (nothing reads the batches) while packets keep coming: more than the
        // source's queue holds, in rounds until some are dropped.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (source.Dropped == 0 && DateTime.UtcNow < deadline)
        {
            NamespacedThread.Run(_peer.Name, () =>
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                var to = new IPEndPoint(IPAddress.Parse($"{_net}.1.1"), 9);
                for (var i = 0; i < 20_000; i++)
                {
                    udp.SendTo([0], to);
                }
            });
        }

        Assert.True(source.Dropped > 0, "no packet was dropped while nothing read the source: " + _server.Exec("nft", "list", "ruleset"));
        await Eventually.TrueAsync(() => Interlocked.Read(ref measured) == source.Dropped, TimeSpan.FromSeconds(10), () => $"source_lines_dropped says {Interlocked.Read(ref measured)}, the source {source.Dropped}");
    }

    [Fact]
    public async Task ReadAsync_GroupAlreadyBound_ThrowsLogSourceException()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        IAsyncEnumerator<LogBatch>? first = null;
        Exception? second = null;
        NamespacedThread.Run(_server.Name, () =>
        {
            first = NflogSource.Create(Group).ReadAsync(null, stop.Token).GetAsyncEnumerator(stop.Token);
            Assert.True(first.MoveNextAsync().AsTask().GetAwaiter().GetResult());
            second = Record.Exception(() => NflogSource.Create(Group).ReadAsync(null, stop.Token).GetAsyncEnumerator(stop.Token).MoveNextAsync().AsTask().GetAwaiter().GetResult());
        });
        await using var reader = first!;

        var error = Assert.IsType<LogSourceException>(second);
        Assert.Contains("another process reads this group", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _peer.Dispose();
        _server.Dispose();
    }
}
