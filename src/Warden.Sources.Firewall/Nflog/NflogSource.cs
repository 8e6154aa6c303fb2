using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Ports;

namespace Warden.Sources.Firewall.Nflog;

/// <summary>
/// Packets of an nftables <c>log group N</c> rule read directly over NFLOG netlink, each
/// rendered as one kernel-style line (<c>SRC= DST= PROTO= DPT=</c>) for <see cref="FirewallLogFilter"/>.
/// The socket lives in the network namespace of the daemon. Packets cannot be re-read, so the
/// checkpoint is a constant and a restart starts with the packets that arrive after it.
/// </summary>
/// <remarks>
/// A dedicated thread blocks in poll/recv and hands lines over a bounded queue; when Warden falls
/// behind (a flood beyond the logging rule's rate limit) the newest lines are dropped and counted,
/// never buffered without bound. <see cref="ReadAsync"/> may be called again after it ended, not concurrently.
/// </remarks>
public sealed partial class NflogSource : ILogSource
{
    /// <summary>The meter of the firewall log sources (System.Diagnostics.Metrics), for the metrics exporter.</summary>
    public const string MeterName = "Warden.Sources.Firewall";

    private const int QueueLength = 16_384;

    private static readonly Meter Meter = new(MeterName);

    // source_lines_dropped{source}: labelled with the source's id (nflog:GROUP), never packet contents.
    private static readonly Counter<long> DroppedInstrument = Meter.CreateCounter<long>("source_lines_dropped", "{line}", "Lines a source lost before the engine read them (NFLOG: its queue or the socket's buffer was full)");

    private const int MaxBatch = 2_000;
    private readonly ushort _group;
    private readonly ILogger _log;
    private readonly KeyValuePair<string, object?> _sourceTag;
    private long _dropped;

    private NflogSource(ushort group, ILogger log)
    {
        _group = group;
        _log = log;
        Id = "nflog:" + group.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _sourceTag = new("source", Id);
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>Packets dropped because the queue or the socket's buffer was full; also counted as <c>source_lines_dropped</c>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Creates a source for NFLOG group <paramref name="group"/> (0-65535); nothing is opened until it is read.</summary>
    public static NflogSource Create(int group, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(group, ushort.MaxValue);
        return new NflogSource((ushort)group, logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueLength)
        {
            SingleReader = true,
            SingleWriter = true,
            // Wait, never awaited: TryWrite then fails on a full queue and the line is counted as
            // dropped (with DropWrite it would report success and the drop would go uncounted).
            FullMode = BoundedChannelFullMode.Wait,
        });
        var socket = NflogSocket.Open(_group, Id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = new Thread(() => Pump(socket, queue.Writer, stop.Token)) { IsBackground = true, Name = Id };
        reader.Start();
        Log.Listening(_log, Id);
        try
        {
            yield return new LogBatch([], "live");
            var lines = new List<string>();
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                while (lines.Count < MaxBatch && queue.Reader.TryRead(out var line))
                {
                    lines.Add(line);
                }

                yield return new LogBatch([.. lines], "live");
                lines.Clear();
            }
        }
        finally
        {
            await stop.CancelAsync();
            reader.Join();
            socket.Dispose();
        }
    }

    private void Pump(NflogSocket socket, ChannelWriter<string> writer, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        Exception? failure = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = socket.Receive(buffer, 200);
                if (n == -Nflog.NflogNative.ENoBufs)
                {
                    // The socket queue overflowed: packets are lost, the socket still works.
                    Drop();
                    continue;
                }

                if (n < 0)
                {
                    throw new LogSourceException(Id, $"recv failed: errno {-n}");
                }

                Split(buffer.AsSpan(0, n), writer);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private void Split(ReadOnlySpan<byte> datagram, ChannelWriter<string> writer)
    {
        while (NflogMessages.Length(datagram) is var length and > 0)
        {
            var message = datagram[..length];
            if (NflogMessages.Type(message) == NflogMessages.MsgPacket
                && NflogMessages.TryPayload(message, out _, out var payload)
                && PacketHeaders.TryParse(payload, out var packet, out var protocol)
                && !writer.TryWrite(PacketLine.Render(_group, packet, protocol)))
            {
                Drop();
            }

            var aligned = (length + 3) & ~3;
            datagram = aligned >= datagram.Length ? default : datagram[aligned..];
        }
    }

    private void Drop()
    {
        Interlocked.Increment(ref _dropped);
        DroppedInstrument.Add(1, _sourceTag);
    }

    private static partial class Log
    {
        [LoggerMessage(5200, LogLevel.Information, "{Source}: reading packets over NFLOG netlink")]
        public static partial void Listening(ILogger logger, string source);
    }
}
