using Warden.Core.Addresses;
using Warden.Core.Ports;
using Warden.Fail2Ban;

namespace Warden.Cli.Hosting;

/// <summary>Warden's own settings (warden.conf), as opposed to jails (jail.conf).</summary>
internal sealed record WardenSettings
{
    /// <summary>Where the state database lives.</summary>
    public const string DefaultStatePath = "/var/lib/warden/warden.db";

    /// <summary>The firewall backend (<c>firewall =</c>, default nftables).</summary>
    public FirewallKind Firewall { get; init; } = FirewallKind.Nftables;

    /// <summary>
    /// <c>firewall =</c> named no registered backend: the error, at its line (also among the
    /// configuration's errors). Nothing is enforced natively then and the daemon does not start.
    /// </summary>
    public ConfigError? UnknownFirewall { get; init; }

    /// <summary>The backend's name as <c>warden check</c> prints it: <c>unknown</c> after an unknown <c>firewall =</c>.</summary>
    public string FirewallName => UnknownFirewall is null ? Firewall.Name : "unknown";

    /// <summary>The SQLite state database.</summary>
    public string StatePath { get; init; } = DefaultStatePath;

    /// <summary>Never ban the host's own addresses (fail2ban's <c>ignoreself</c>).</summary>
    public bool IgnoreSelf { get; init; } = true;

    /// <summary>Addresses no ban of any origin may cover.</summary>
    public AddressSet Allowlist { get; init; } = AddressSet.Empty;

    /// <summary>Interfaces whose forwarding must survive Docker's FORWARD DROP (<c>forward_allow = br0</c>).</summary>
    public IReadOnlyList<string> ForwardAllow { get; init; } = [];

    /// <summary>The iptables program for the iptables backend and the forward guard (<c>[iptables] iptables</c>).</summary>
    public string Iptables { get; init; } = "iptables";

    /// <summary>nftables, iptables and pf: <c>blocktype = drop</c> (default) or <c>reject</c>.</summary>
    public BlockType BlockType { get; init; } = BlockType.Drop;

    /// <summary>The admin API's unix socket (<c>[api] socket</c>); <c>warden ban/unban/status</c> talk to it.</summary>
    public string ApiSocket { get; init; } = Warden.Web.ApiOptions.DefaultSocket;

    /// <summary>
    /// Enforce fail2ban's firewall actions (iptables-multiport, nftables-allports, pf, ...) with the
    /// native backend instead of running their commands (<c>native_actions</c>, default on).
    /// </summary>
    public bool NativeActions { get; init; } = true;

    /// <summary>On a clean stop, remove Warden's firewall objects (default: keep; the kernel expires bans).</summary>
    public bool FlushOnStop { get; init; }

    /// <summary>
    /// How long an ended ban and its evidence stay in the state database (<c>[warden] history</c>,
    /// default 30d; <c>-1</c> keeps them for ever); <c>null</c> for ever.
    /// </summary>
    public TimeSpan? History { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Hand memory back after a burst once the daemon is quiet (<c>compact_memory</c>, default on;
    /// see <see cref="MemoryCompaction"/>); off leaves collections to the runtime alone.
    /// </summary>
    public bool CompactMemory { get; init; } = true;

    /// <summary>
    /// <c>mode = shadow</c>: every jail observes (detects, decides, records "would ban") and no
    /// firewall is touched at all, for running beside the fail2ban that guards the host today.
    /// </summary>
    public bool Shadow { get; init; }

    /// <summary>Ban sharing with other hosts (<c>[fleet]</c>); <c>null</c> when off or misconfigured.</summary>
    public FleetSettings? Fleet { get; init; }

    /// <summary>The HTTP listener for /metrics (<c>[web]</c>); <c>null</c> when off or misconfigured.</summary>
    public WebSettings? Web { get; init; }

    /// <summary>Errors in <c>[web]</c>: the daemon does not start with any (see <see cref="WebSettingsReader"/>).</summary>
    public int WebErrors { get; init; }
}
