using System.Buffers.Binary;
using System.Text;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// The rules of one chain straight from the kernel (an NFT_MSG_GETRULE dump, linux/netfilter/
/// nf_tables.h), reduced to what the drop counters need: the set each rule looks up, its counter
/// and whether its verdict drops or rejects. Not through libnftables: nft 1.0.6 fills its cache
/// with every set element for any listing, a second of CPU and 130 MB for 100,000 bans, where
/// the kernel's rule dump carries the rules alone. Runs on the backend's worker thread (the
/// socket is made in its namespace).
/// </summary>
internal static class RuleDump
{
    private const int SubsysNftables = 10;
    private const int MsgNewRule = 6;
    private const int MsgGetRule = 7;
    private const int NlmsgError = 2;
    private const int NlmsgDone = 3;
    private const ushort NlmFRequest = 1;
    private const ushort NlmFDump = 0x300;
    private const int HeaderLength = 16;
    private const int NfGenLength = 4;

    // NFTA_RULE_*, NFTA_LIST_ELEM, NFTA_EXPR_*, NFTA_LOOKUP_SET, NFTA_COUNTER_*, NFTA_IMMEDIATE_DATA, NFTA_DATA_VERDICT, NFTA_VERDICT_CODE.
    private const int RuleTable = 1;
    private const int RuleChain = 2;
    private const int RuleExpressions = 4;
    private const int ListElem = 1;
    private const int ExprName = 1;
    private const int ExprData = 2;
    private const int LookupSet = 1;
    private const int CounterBytes = 1;
    private const int CounterPackets = 2;
    private const int ImmediateData = 2;
    private const int DataVerdict = 2;
    private const int VerdictCode = 1;
    private const uint NfDrop = 0;

    /// <summary>One rule as the counters see it.</summary>
    /// <param name="Set">The set of its first lookup; <c>null</c> for none.</param>
    /// <param name="Packets">Its counter's packets (0 without a counter).</param>
    /// <param name="Bytes">Its counter's bytes.</param>
    /// <param name="Drops">True when it ends in drop or reject.</param>
    public readonly record struct Rule(string? Set, long Packets, long Bytes, bool Drops);

    /// <summary>The rules of <paramref name="chain"/> in <paramref name="table"/> (family inet); empty when they do not exist.</summary>
    /// <exception cref="FirewallException">The socket or the dump failed.</exception>
    public static List<Rule> Read(string table, string chain)
    {
        using var socket = NetlinkSocket.Open();
        socket.Send(Request(1, NetlinkMessages.NfprotoInet, table, chain));
        var rules = new List<Rule>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = socket.Receive(buffer, wait: true);
            if (n <= 0)
            {
                throw new FirewallException("nftables", "NFT_MSG_GETRULE", $"netlink receive failed: errno {-n}");
            }

            if (Parse(buffer.AsSpan(0, n), rules) is { } end)
            {
                // ENOENT: no such table or chain (flushed by someone else; the drift repair makes them again).
                return end == 0 || end == 2 ? rules : throw new FirewallException("nftables", "NFT_MSG_GETRULE", $"the rule dump failed: errno {end}");
            }
        }
    }

    /// <summary>An NFT_MSG_GETRULE dump request for one chain.</summary>
    public static byte[] Request(uint sequence, byte family, string table, string chain)
    {
        var attributes = new List<byte>();
        AppendString(attributes, RuleTable, table);
        AppendString(attributes, RuleChain, chain);
        var message = new byte[HeaderLength + NfGenLength + attributes.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (SubsysNftables << 8) | MsgGetRule);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), NlmFRequest | NlmFDump);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        message[HeaderLength] = family;
        attributes.CopyTo(message, HeaderLength + NfGenLength);
        return message;
    }

    /// <summary>
    /// Adds the rules of the NFT_MSG_NEWRULE messages in <paramref name="datagram"/>; returns the
    /// errno that ends the dump (0 for NLMSG_DONE) once it ends, <c>null</c> while more follow.
    /// </summary>
    public static int? Parse(ReadOnlySpan<byte> datagram, List<Rule> rules)
    {
        var offset = 0;
        while (offset + HeaderLength <= datagram.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[offset..]);
            if (length < HeaderLength || offset + length > datagram.Length)
            {
                break;
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 4)..]);
            var body = datagram.Slice(offset + HeaderLength, length - HeaderLength);
            switch (type)
            {
                case NlmsgDone:
                    return 0;
                case NlmsgError:
                    return body.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(body) : 0;
                case (SubsysNftables << 8) | MsgNewRule when body.Length >= NfGenLength:
                    rules.Add(RuleOf(body[NfGenLength..]));
                    break;
            }

            offset += (length + 3) & ~3;
        }

        return null;
    }

    private static Rule RuleOf(ReadOnlySpan<byte> attributes)
    {
        string? set = null;
        long packets = 0, bytes = 0;
        var drops = false;
        foreach (var (type, start, length) in Attributes(attributes))
        {
            if (type != RuleExpressions)
            {
                continue;
            }

            var list = attributes.Slice(start, length);
            foreach (var (elemType, elemStart, elemLength) in Attributes(list))
            {
                if (elemType != ListElem)
                {
                    continue;
                }

                var expression = list.Slice(elemStart, elemLength);
                var name = Find(expression, ExprName) is { } n ? Text(n) : null;
                var data = Find(expression, ExprData) ?? [];
                switch (name)
                {
                    case "lookup" when set is null && Find(data, LookupSet) is { } s:
                        set = Text(s);
                        break;
                    case "counter":
                        bytes = Find(data, CounterBytes) is { Length: 8 } b ? (long)BinaryPrimitives.ReadUInt64BigEndian(b) : 0;
                        packets = Find(data, CounterPackets) is { Length: 8 } p ? (long)BinaryPrimitives.ReadUInt64BigEndian(p) : 0;
                        break;
                    case "reject":
                        drops = true;
                        break;
                    case "immediate" when Find(data, ImmediateData) is { } value && Find(value, DataVerdict) is { } verdict
                        && Find(verdict, VerdictCode) is { Length: 4 } code && BinaryPrimitives.ReadUInt32BigEndian(code) == NfDrop:
                        drops = true;
                        break;
                }
            }
        }

        return new Rule(set, packets, bytes, drops);
    }

    // Netlink attributes (struct nlattr): u16 length, u16 type (NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off), value, padding to 4.
    private static List<(int Type, int Start, int Length)> Attributes(ReadOnlySpan<byte> attributes)
    {
        var result = new List<(int, int, int)>();
        var offset = 0;
        while (offset + 4 <= attributes.Length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes[offset..]);
            if (length < 4 || offset + length > attributes.Length)
            {
                break;
            }

            result.Add((BinaryPrimitives.ReadUInt16LittleEndian(attributes[(offset + 2)..]) & 0x3fff, offset + 4, length - 4));
            offset += (length + 3) & ~3;
        }

        return result;
    }

    private static byte[]? Find(ReadOnlySpan<byte> attributes, int wanted)
    {
        foreach (var (type, start, length) in Attributes(attributes))
        {
            if (type == wanted)
            {
                return attributes.Slice(start, length).ToArray();
            }
        }

        return null;
    }

    private static string Text(byte[] value) => Encoding.UTF8.GetString(value.AsSpan().TrimEnd((byte)0));

    private static void AppendString(List<byte> attributes, int type, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value + "\0");
        var length = 4 + bytes.Length;
        attributes.AddRange([(byte)length, (byte)(length >> 8), (byte)type, (byte)(type >> 8)]);
        attributes.AddRange(bytes);
        while (attributes.Count % 4 != 0)
        {
            attributes.Add(0);
        }
    }
}
