using System.Buffers.Binary;
using Warden.Sources.Firewall.Nflog;

namespace Warden.Sources.Firewall.Tests;

/// <summary>The nfnetlink_log layout (include/uapi/linux/netfilter/nfnetlink_log.h), byte by byte.</summary>
public class NflogMessagesTests
{
    [Fact]
    public void Bind_Group_IsAConfigRequestWithBindCommand()
    {
        var message = NflogMessages.Bind(5, 1);

        Assert.Equal(message.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(message));
        Assert.Equal((4 << 8) | 1, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4)));
        Assert.Equal(5, BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(18)));
        Assert.Equal(5, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(22)));
        Assert.Equal(1, message[24]);
        Assert.Equal(0, message.Length % 4);
    }

    [Fact]
    public void TryPayload_PacketMessage_FindsPayloadAfterOtherAttributes()
    {
        byte[] payload = [0x45, 1, 2, 3, 4];
        var message = new List<byte>();
        message.AddRange(new byte[16]);
        message.AddRange([2, 0, 0, 5]); // nfgenmsg: AF_INET, group 5
        Attribute(message, 1, [0x08, 0x00, 1, 0]); // NFULA_PACKET_HDR
        Attribute(message, 10, "warden\0"u8.ToArray()); // NFULA_PREFIX, 7 bytes: padded
        Attribute(message, 9, payload); // NFULA_PAYLOAD
        var bytes = message.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), NflogMessages.MsgPacket);

        Assert.Equal(bytes.Length, NflogMessages.Length(bytes));
        Assert.True(NflogMessages.TryPayload(bytes, out var family, out var found));

        Assert.Equal(2, family);
        Assert.Equal(payload, found.ToArray());
    }

    [Fact]
    public void Length_TruncatedHeader_IsZero()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 400);

        Assert.Equal(0, NflogMessages.Length(bytes));
    }

    private static void Attribute(List<byte> message, ushort type, byte[] value)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), type);
        message.AddRange(header);
        message.AddRange(value);
        while (message.Count % 4 != 0)
        {
            message.Add(0);
        }
    }
}
