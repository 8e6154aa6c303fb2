using System.Net.Sockets;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// Names a failure as fail2ban does (server/filter.py <c>findFailure</c>, the part after the
/// failregex matched): by F-ID when given, else by address (ip4, ip6, with a cidr), else by host
/// name; a tuple F-ID is written the way Python prints a tuple.
/// </summary>
internal static class FailureIdentity
{
    /// <summary>The failure id (fid, else address, else host); null id: pending (MLFID without id yet).</summary>
    /// <returns>False when the regex names no id at all (fail2ban logs "No group found" and skips it).</returns>
    public static bool TryIdentify(FailData fail, string? mlfid, out FailureId? id)
    {
        id = null;
        var fid = fail["fid"];
        var cidr = int.TryParse(fail.GetString("cidr"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits) && bits > 0 ? bits : (int?)null;
        string? ip;
        AddressFamily? family = null;
        var raw = false;
        if ((ip = fail.GetString("ip4")) is not null)
        {
            family = cidr is null ? AddressFamily.InterNetwork : null;
        }
        else if ((ip = fail.GetString("ip6")) is not null)
        {
            family = cidr is null ? AddressFamily.InterNetworkV6 : null;
        }
        else if ((ip = fail.GetString("dns")) is not null)
        {
            raw = true;
        }
        else
        {
            if (fid is null && mlfid is null)
            {
                return false;
            }

            ip = FidText(fid);
            raw = true;
        }

        if (ip is null)
        {
            return true;
        }

        var fidText = FidText(fid);
        if (fidText is null || fidText == ip)
        {
            id = raw ? ParseRaw(ip, fid) : FailureId.Parse(ip, family, cidr);
        }
        else
        {
            fail["ip"] = raw ? FailureId.Raw(ip) : FailureId.Parse(ip, family, cidr);
            id = fid is List<string?> ? FailureId.Raw(fidText) : FailureId.Parse(fidText, null, null);
        }

        return true;
    }

    private static FailureId ParseRaw(string text, object? fid) =>
        fid is List<string?> ? FailureId.Raw(text) : FailureId.Parse(text, null, null) is { Address: not null } parsed ? parsed : FailureId.Raw(text);

    private static string? FidText(object? fid) => fid switch
    {
        string s => s,
        List<string?> tuple => "(" + string.Join(", ", tuple.Select(t => t is null ? "None" : "'" + t + "'")) + ")",
        _ => null,
    };
}
