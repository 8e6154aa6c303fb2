namespace Warden.Cli.Hosting;

/// <summary>
/// A firewall backend by its registered name (warden.conf <c>[warden] firewall</c>); the only
/// values are the three below, so an unknown name is caught where the file is read.
/// </summary>
internal sealed record FirewallKind
{
    /// <summary>nftables: <c>table inet warden</c>.</summary>
    public static readonly FirewallKind Nftables = new("nftables");

    /// <summary>ipset + iptables (DOCKER-USER aware).</summary>
    public static readonly FirewallKind Iptables = new("iptables");

    /// <summary>pf tables in Warden's anchor (FreeBSD).</summary>
    public static readonly FirewallKind Pf = new("pf");

    private FirewallKind(string name) => Name = name;

    /// <summary>Every backend, in the order they are listed to the admin.</summary>
    public static IReadOnlyList<FirewallKind> All { get; } = [Nftables, Iptables, Pf];

    /// <summary>The name as warden.conf writes it.</summary>
    public string Name { get; }

    /// <summary>The backend registered as <paramref name="name"/> (exact, lower case), or <c>null</c>.</summary>
    public static FirewallKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    public override string ToString() => Name;
}
