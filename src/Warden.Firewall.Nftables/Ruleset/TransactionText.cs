using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// Builds the text of one nft transaction (libnftables runs a whole buffer as one netlink batch,
/// so it commits completely or not at all).
/// </summary>
internal sealed class TransactionText
{
    /// <summary>Elements per <c>add element</c> statement; nft parses 100,000 in one, smaller is kinder to its parser.</summary>
    private const int ChunkSize = 5000;

    private readonly StringBuilder _text = new();

    public int Length => _text.Length;

    public StringBuilder Builder => _text;

    public override string ToString() => _text.ToString();

    public void Line(string line) => _text.Append(line).Append('\n');

    /// <summary><c>add|delete element inet warden SET { ... }</c> in chunks, each element with its optional timeout.</summary>
    public void Elements(string verb, string set, IReadOnlyList<(IPNetwork Target, TimeSpan? Remaining)> hosts, bool withTimeout)
    {
        for (var start = 0; start < hosts.Count; start += ChunkSize)
        {
            Open(verb, set);
            var end = Math.Min(hosts.Count, start + ChunkSize);
            for (var i = start; i < end; i++)
            {
                if (i > start)
                {
                    _text.Append(", ");
                }

                // Formatted in place: ToString() would cache the text inside each IPAddress, which
                // the engine keeps for as long as the ban lasts (~40 B per ban).
                _text.Append(hosts[i].Target.BaseAddress);
                if (withTimeout)
                {
                    ElementText.AppendTimeout(_text, hosts[i].Remaining);
                }
            }

            _text.Append(" }\n");
        }
    }

    /// <summary>Rewrites an interval set: flush it and add the segments, in this same transaction.</summary>
    public void ReplaceSegments(string set, bool v6, IReadOnlyList<IntervalSegment> segments, DateTimeOffset now, bool flush)
    {
        if (flush)
        {
            _text.Append("flush set inet ").Append(NftablesOptions.TableName).Append(' ').Append(set).Append('\n');
        }

        for (var start = 0; start < segments.Count; start += ChunkSize)
        {
            Open("add", set);
            var end = Math.Min(segments.Count, start + ChunkSize);
            for (var i = start; i < end; i++)
            {
                if (i > start)
                {
                    _text.Append(", ");
                }

                var segment = segments[i];
                ElementText.AppendRange(_text, segment.First, segment.Last, v6);
                ElementText.AppendTimeout(_text, segment.Expires - now);
            }

            _text.Append(" }\n");
        }
    }

    public static bool IsV6(IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;

    private void Open(string verb, string set) =>
        _text.Append(verb).Append(" element inet ").Append(NftablesOptions.TableName).Append(' ').Append(set).Append(" { ");
}
