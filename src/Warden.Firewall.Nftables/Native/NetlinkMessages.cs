using System.Buffers.Binary;
using System.Text;

namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// Just enough of the nf_tables netlink protocol (linux/netfilter/nf_tables.h, nfnetlink.h) to
/// ask for the ruleset generation and to see which table a change notification is about.
/// </summary>
internal static class NetlinkMessages
{
    public const int NfnlGroupNftables = 7;
    public const byte NfprotoInet = 1;

    private const int SubsysNftables = 10;
    private const int MsgNewTable = 0;
    private const int MsgGetTable = 1;
    private const int MsgNewGen = 15;
    private const int MsgGetGen = 16;
    private const int NlmsgError = 2;
    private const ushort NlmFRequest = 1;
    private const ushort NlmFAck = 4;
    private const int HeaderLength = 16;
    private const int NfGenLength = 4;

    /// <summary>An NFT_MSG_GETGEN request: nlmsghdr + nfgenmsg, no attributes.</summary>
    public static byte[] GetGeneration(uint sequence) => Request(MsgGetGen, 0, sequence, []);

    /// <summary>An NFT_MSG_GETTABLE request for one table (NFTA_TABLE_NAME).</summary>
    public static byte[] GetTable(uint sequence, byte family, string table)
    {
        var name = Encoding.ASCII.GetBytes(table + "\0");
        var attribute = new byte[(4 + name.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + name.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), 1);
        name.CopyTo(attribute, 4);
        return Request(MsgGetTable, family, sequence, attribute);
    }

    /// <summary>The errno of an NLMSG_ERROR in the datagram (0 is an ACK), or null when there is none.</summary>
    public static int? Error(ReadOnlySpan<byte> datagram)
    {
        var offset = 0;
        while (offset + HeaderLength + 4 <= datagram.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[offset..]);
            if (length < HeaderLength)
            {
                break;
            }

            if (BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 4)..]) == NlmsgError)
            {
                return -BinaryPrimitives.ReadInt32LittleEndian(datagram[(offset + HeaderLength)..]);
            }

            offset += (length + 3) & ~3;
        }

        return null;
    }

    /// <summary>NFTA_TABLE_HANDLE and NFTA_TABLE_USE (chains + sets + objects) of an NFT_MSG_NEWTABLE in the datagram.</summary>
    public static (ulong Handle, uint Use)? Table(ReadOnlySpan<byte> datagram)
    {
        foreach (var (type, _, payload) in Messages(datagram))
        {
            if (type == ((SubsysNftables << 8) | MsgNewTable)
                && Attribute(payload, 4) is { Length: 8 } handle && Attribute(payload, 3) is { Length: 4 } use)
            {
                return (BinaryPrimitives.ReadUInt64BigEndian(handle), BinaryPrimitives.ReadUInt32BigEndian(use));
            }
        }

        return null;
    }

    private static byte[] Request(int type, byte family, uint sequence, byte[] attributes)
    {
        var message = new byte[HeaderLength + NfGenLength + attributes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (ushort)((SubsysNftables << 8) | type));
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), NlmFRequest | NlmFAck);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        message[HeaderLength] = family;
        attributes.CopyTo(message, HeaderLength + NfGenLength);
        return message;
    }

    /// <summary>The NFTA_GEN_ID of the first NFT_MSG_NEWGEN in a datagram, if any.</summary>
    public static uint? Generation(ReadOnlySpan<byte> datagram)
    {
        foreach (var (type, _, payload) in Messages(datagram))
        {
            if (type == ((SubsysNftables << 8) | MsgNewGen) && Attribute(payload, 1) is { Length: 4 } id)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(id);
            }
        }

        return null;
    }

    /// <summary>
    /// True when a notification in the datagram is about <paramref name="table"/> of
    /// <paramref name="family"/>: every nf_tables object message carries its table name as
    /// attribute 1 (NFTA_TABLE_NAME, NFTA_CHAIN_TABLE, NFTA_RULE_TABLE, NFTA_SET_TABLE, ...).
    /// </summary>
    public static bool Touches(ReadOnlySpan<byte> datagram, byte family, string table)
    {
        var name = Encoding.ASCII.GetBytes(table + "\0");
        foreach (var (type, msgFamily, payload) in Messages(datagram))
        {
            if (type >> 8 == SubsysNftables && (type & 0xff) != MsgNewGen && msgFamily == family
                && Attribute(payload, 1) is { } value && value.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    private static List<(int Type, byte Family, byte[] Payload)> Messages(ReadOnlySpan<byte> datagram)
    {
        var result = new List<(int, byte, byte[])>();
        var offset = 0;
        while (offset + HeaderLength + NfGenLength <= datagram.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[offset..]);
            if (length < HeaderLength || offset + length > datagram.Length)
            {
                break;
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 4)..]);
            if (length >= HeaderLength + NfGenLength)
            {
                result.Add((type, datagram[offset + HeaderLength], datagram.Slice(offset + HeaderLength + NfGenLength, length - HeaderLength - NfGenLength).ToArray()));
            }

            offset += (length + 3) & ~3;
        }

        return result;
    }

    private static byte[]? Attribute(ReadOnlySpan<byte> attributes, int wanted)
    {
        var offset = 0;
        while (offset + 4 <= attributes.Length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes[offset..]);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(attributes[(offset + 2)..]) & 0x3fff;
            if (length < 4 || offset + length > attributes.Length)
            {
                return null;
            }

            if (type == wanted)
            {
                return attributes.Slice(offset + 4, length - 4).ToArray();
            }

            offset += (length + 3) & ~3;
        }

        return null;
    }
}
