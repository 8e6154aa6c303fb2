using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Warden.Core.Detections;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// Reads the torture writer's lines (<c>000000042 app: FAIL</c>): every failure line becomes a
/// failure of its own address, fd00::N encoding the sequence number N, so each can be counted.
/// </summary>
internal sealed class SequenceFilter(TimeProvider time) : ILineFilter
{
    public void Process(string line, ICollection<Detection> detections)
    {
        if (!line.EndsWith(" FAIL", StringComparison.Ordinal) || line.Length < 10
            || !long.TryParse(line.AsSpan(0, 9), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return;
        }

        var address = Address(seq);
        detections.Add(new Detection(address.ToString(), address, time.GetUtcNow(), line, Detection.NoFields));
    }

    public static IPAddress Address(long seq)
    {
        var bytes = new byte[16];
        bytes[0] = 0xfd;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), seq);
        return new IPAddress(bytes);
    }

    public static long Sequence(IPAddress address) =>
        BinaryPrimitives.ReadInt64BigEndian(address.GetAddressBytes().AsSpan(8));

    public static bool IsFailure(long seq) => seq % 3 == 0;
}
