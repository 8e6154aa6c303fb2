using Warden.TestKit;

namespace Warden.Firewall.Iptables.Tests;

/// <summary>Reads ipsets and chains back with the real tools inside the test namespace.</summary>
internal static class IpsetProbe
{
    /// <summary>Members as "address-or-network timeout-seconds" pairs.</summary>
    public static List<(string Entry, int Timeout)> Members(NetworkNamespace ns, string set)
    {
        var text = ns.Exec("ipset", "list", set);
        var members = text[(text.IndexOf("Members:", StringComparison.Ordinal) + "Members:".Length)..];
        return [.. members.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Select(p => (p[0], p.Length >= 3 && p[1] == "timeout" ? int.Parse(p[2]) : -1))];
    }

    public static bool SetExists(NetworkNamespace ns, string set) =>
        ns.RunAsync("ipset", ["list", "-n", set]).GetAwaiter().GetResult().ExitCode == 0;

    public static string Chains(NetworkNamespace ns, string tool = "iptables") => ns.Exec(tool, "-S");
}
