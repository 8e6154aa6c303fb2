namespace Warden.Core.Jails;

/// <summary>The names of <see cref="PortProtocol"/> as jail.conf, nft(8), iptables(8) and pf.conf(5) write them.</summary>
public static class PortProtocolNames
{
    private static readonly string[] Names = ["tcp", "udp", "sctp", "dccp", "all"];

    /// <summary>The lower-case name (<c>tcp</c>, ..., <c>all</c>).</summary>
    /// <param name="protocol">The protocol.</param>
    public static string Name(this PortProtocol protocol) => Names[(int)protocol];

    /// <summary>Reads a name, in any case, with surrounding white space; false for anything else.</summary>
    /// <param name="text">The text as written.</param>
    /// <param name="protocol">The protocol read.</param>
    public static bool TryParse(string text, out PortProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(text);
        var index = Array.IndexOf(Names, text.Trim().ToLowerInvariant());
        protocol = index < 0 ? PortProtocol.Tcp : (PortProtocol)index;
        return index >= 0;
    }
}
