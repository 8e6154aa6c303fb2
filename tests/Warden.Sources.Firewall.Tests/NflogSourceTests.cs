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
            + $"add rule inet t input ip saddr {_net}.1.2 log group {Group}");
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
