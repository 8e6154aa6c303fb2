using System.Globalization;
using System.Net.Sockets;
using Warden.Core.Addresses;
using Warden.Core.Bans;

namespace Warden.Actions.Command;

/// <summary>
/// The ban tags fail2ban gives an action (server/actions.py ActionInfo): <c>ip</c>, <c>ip-rev</c>,
/// <c>fid</c>, <c>failures</c>, <c>time</c>, <c>bantime</c>, <c>bancount</c>, <c>matches</c> (and
/// <c>ipmatches</c>, <c>ipjailmatches</c>), <c>ipfailures</c>, <c>ipjailfailures</c>, <c>restored</c>,
/// <c>F-NAME</c> (a filter capture, empty when absent). Values are attacker-influenced text.
/// </summary>
internal static class BanTags
{
    public static string Family(Ban ban) =>
        ban.Target.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "inet4" : "inet6";

    public static Func<string, string?> For(Ban ban, DateTimeOffset now, bool restored) => tag =>
    {
        var ip = AddressParsing.Format(ban.Target);
        switch (tag)
        {
            case "ip" or "fid":
                return ip;
            case "ip-rev":
                return ReversePointer(ban);
            case "failures" or "ipfailures" or "ipjailfailures":
                return ban.Failures.ToString(CultureInfo.InvariantCulture);
            case "time":
                return ban.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            case "bantime":
                return ban.Expires is { } expires ? ((long)(expires - ban.Start).TotalSeconds).ToString(CultureInfo.InvariantCulture) : "-1";
            case "bancount":
                return (ban.PriorBans + 1).ToString(CultureInfo.InvariantCulture);
            case "matches" or "ipmatches" or "ipjailmatches":
                return string.Join('\n', ban.Matches);
            case "restored":
                return restored ? "1" : "0";
            default:
                if (tag.StartsWith("F-", StringComparison.Ordinal))
                {
                    var name = tag[2..];
                    return ban.Fields.GetValueOrDefault(tag) ?? ban.Fields.GetValueOrDefault(name.ToLowerInvariant()) ?? ban.Fields.GetValueOrDefault(name) ?? string.Empty;
                }

                return null;
        }
    };

    // The PTR name fail2ban's IPAddr.getPTR('') gives: reversed octets or nibbles, without the zone suffix.
    private static string ReversePointer(Ban ban)
    {
        var bytes = ban.Target.BaseAddress.GetAddressBytes();
        if (bytes.Length == 4)
        {
            return string.Join('.', bytes.Reverse());
        }

        return string.Join('.', bytes.Reverse().SelectMany(b => new[] { (b & 0xF).ToString("x"), (b >> 4).ToString("x") }));
    }
}
