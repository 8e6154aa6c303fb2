using System.Buffers.Binary;

namespace Warden.Sources.Firewall.Nflog;

/// <summary>
/// The nfnetlink_log wire format (include/uapi/linux/netfilter/nfnetlink_log.h): config requests
/// to bind a group, and the attributes of the packet messages the kernel sends for a
/// <c>log group N</c> rule. Every message is nlmsghdr (16 bytes) + nfgenmsg (4 bytes) + nlattrs.
/// </summary>
internal static class NflogMessages
{
    public const int HeaderLength = 16;
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort MsgPacket = (NfnlSubsysUlog << 8) | 0;

    private const ushort NfnlSubsysUlog = 4;
    private const ushort MsgConfig = (NfnlSubsysUlog << 8) | 1;
    private const ushort FlagRequest = 1;
    private const ushort FlagAck = 4;
    private const ushort AttrCfgCmd = 1;
    private const ushort AttrCfgMode = 2;
    private const ushort AttrCfgQThresh = 4;
    private const byte CmdBind = 1;
    private const byte CopyPacket = 2;
    private const ushort AttrPayload = 9;
    private const ushort AttrTypeMask = 0x3fff;

    /// <summary>Bytes of each packet copied to Warden: enough for IPv6 with extension headers and the ports.</summary>
    public const int CopyRange = 160;

    /// <summary>NFULNL_CFG_CMD_BIND for <paramref name="group"/>.</summary>
    public static byte[] Bind(ushort group, uint sequence) => Config(group, sequence, AttrCfgCmd, [CmdBind]);

    /// <summary>NFULA_CFG_MODE: copy the first <see cref="CopyRange"/> bytes of each packet.</summary>
    public static byte[] CopyMode(ushort group, uint sequence)
    {
        // struct nfulnl_msg_config_mode { __be32 copy_range; __u8 copy_mode; __u8 _pad; }
        var mode = new byte[6];
        BinaryPrimitives.WriteUInt32BigEndian(mode, CopyRange);
        mode[4] = CopyPacket;
        return Config(group, sequence, AttrCfgMode, mode);
    }

    /// <summary>NFULA_CFG_QTHRESH = 1: deliver each packet at once instead of batching up to the flush timeout.</summary>
    public static byte[] DeliverEach(ushort group, uint sequence)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, 1);
        return Config(group, sequence, AttrCfgQThresh, value);
    }

    /// <summary>The error code of an NLMSG_ERROR message (0 is an acknowledgement).</summary>
    public static int ErrorCode(ReadOnlySpan<byte> message) =>
        message.Length >= HeaderLength + 4 ? BinaryPrimitives.ReadInt32LittleEndian(message[HeaderLength..]) : 0;

    /// <summary>The message type of a netlink header.</summary>
    public static ushort Type(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);

    /// <summary>The length of the message at the start of <paramref name="buffer"/>, or 0 when malformed.</summary>
    public static int Length(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < HeaderLength)
        {
            return 0;
        }

        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        return length < HeaderLength || length > buffer.Length ? 0 : length;
    }

    /// <summary>The layer 3 family (AF_INET 2, AF_INET6 10) and the NFULA_PAYLOAD of a packet message.</summary>
    public static bool TryPayload(ReadOnlySpan<byte> message, out byte family, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        family = 0;
        if (message.Length < HeaderLength + 4)
        {
            return false;
        }

        family = message[HeaderLength];
        var attributes = message[(HeaderLength + 4)..];
        while (attributes.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]) & AttrTypeMask;
            if (length < 4 || length > attributes.Length)
            {
                return false;
            }

            if (type == AttrPayload)
            {
                payload = attributes[4..length];
                return true;
            }

            var aligned = (length + 3) & ~3;
            attributes = aligned >= attributes.Length ? default : attributes[aligned..];
        }

        return false;
    }

    private static byte[] Config(ushort group, uint sequence, ushort attributeType, ReadOnlySpan<byte> value)
    {
        var attributeLength = 4 + value.Length;
        var total = HeaderLength + 4 + ((attributeLength + 3) & ~3);
        var message = new byte[total];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)total);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], MsgConfig);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], FlagRequest | FlagAck);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], sequence);
        // struct nfgenmsg { u8 nfgen_family = AF_UNSPEC; u8 version = NFNETLINK_V0; __be16 res_id = group; }
        BinaryPrimitives.WriteUInt16BigEndian(span[(HeaderLength + 2)..], group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(HeaderLength + 4)..], (ushort)attributeLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(HeaderLength + 6)..], attributeType);
        value.CopyTo(span[(HeaderLength + 8)..]);
        return message;
    }
}
