using Warden.Core.Jails;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Parses fail2ban's <c>port</c> values: comma- or space-separated service names, numbers and
/// ranges written <c>from:to</c> (iptables' syntax, which fail2ban passes through) or <c>from-to</c>.
/// Service names come from /etc/services.
/// </summary>
public static class PortList
{
    private static readonly Lazy<Dictionary<string, int>> Services = new(LoadServices);

    /// <summary>Parses a port list; an empty result means all ports.</summary>
    public static bool TryParse(string text, out IReadOnlyList<PortRange> ports, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<PortRange>();
        ports = result;
        error = null;
        foreach (var item in text.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            // A whole item may be a service name with a dash (ms-wbt-server); only when it is
            // not, "a:b" or "a-b" is a range.
            if (TryPort(item, out var single, out _))
            {
                result.Add(new PortRange(single, single));
                continue;
            }

            var separator = item.IndexOfAny([':', '-']);
            if (separator <= 0)
            {
                TryPort(item, out _, out error);
                return false;
            }

            if (!TryPort(item[..separator], out var from, out error) || !TryPort(item[(separator + 1)..], out var to, out error))
            {
                error = $"unknown port, service name or range '{item}' (names come from /etc/services)";
                return false;
            }

            if (from > to)
            {
                error = $"port range '{item}' runs backwards";
                return false;
            }

            result.Add(new PortRange(from, to));
        }

        if (result.Exists(r => r.IsAll))
        {
            result.Clear();
        }

        return true;
    }

    private static bool TryPort(string text, out int port, out string? error)
    {
        error = null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, null, out port))
        {
            if (port <= 65535)
            {
                return true;
            }

            error = $"port {text} is above 65535";
            return false;
        }

        if (Services.Value.TryGetValue(text.ToLowerInvariant(), out port))
        {
            return true;
        }

        error = $"unknown port or service name '{text}' (not in /etc/services)";
        return false;
    }

    private static Dictionary<string, int> LoadServices()
    {
        // A few names every config uses, for systems without /etc/services (minimal containers).
        var services = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["ssh"] = 22, ["smtp"] = 25, ["http"] = 80, ["https"] = 443, ["pop3"] = 110, ["pop3s"] = 995,
            ["imap"] = 143, ["imap2"] = 143, ["imaps"] = 993, ["submission"] = 587, ["submissions"] = 465,
            ["smtps"] = 465, ["ftp"] = 21, ["domain"] = 53, ["sieve"] = 4190,
        };
        try
        {
            foreach (var line in File.ReadLines("/etc/services"))
            {
                var content = line.Split('#')[0];
                var fields = content.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2)
                {
                    continue;
                }

                var slash = fields[1].IndexOf('/');
                if (slash <= 0 || !int.TryParse(fields[1].AsSpan(0, slash), out var port))
                {
                    continue;
                }

                foreach (var name in fields.Where((_, i) => i != 1))
                {
                    services.TryAdd(name.ToLowerInvariant(), port);
                }
            }
        }
        catch (IOException)
        {
            // The built-in names still work.
        }

        return services;
    }
}
