using System.Net;
using System.Text;
using Warden.Core.Addresses;

namespace Warden.Firewall.Iptables;

/// <summary>ipset restore lines (ipset(8), "restore"): one command per line, no shell involved.</summary>
internal static class IpsetEntries
{
    /// <summary>ipset's largest timeout in seconds (ipset(8): 0-2147483); longer bans get none and the engine ends them.</summary>
    public const long MaxTimeoutSeconds = 2_147_483;

    public static string Create(string set, bool v6, int maxElements) =>
        $"create {set} hash:net family {(v6 ? "inet6" : "inet")} timeout 0 maxelem {maxElements}\n";

    public static void AppendAdd(StringBuilder text, string set, IPNetwork target, TimeSpan? remaining)
    {
        text.Append("add ").Append(set).Append(' ').Append(AddressParsing.Format(target));
        // timeout 0 is "permanent" for a set created with timeout support.
        var seconds = remaining is { } left ? Math.Max(1, (long)Math.Ceiling(left.TotalSeconds)) : 0;
        text.Append(" timeout ").Append(seconds > MaxTimeoutSeconds ? 0 : seconds).Append('\n');
    }

    public static void AppendDelete(StringBuilder text, string set, IPNetwork target) =>
        text.Append("del ").Append(set).Append(' ').Append(AddressParsing.Format(target)).Append('\n');
}
