namespace Warden.Core.Ports;

/// <summary>What a firewall backend does with a banned source's packets (fail2ban's <c>blocktype</c>).</summary>
public enum BlockType
{
    /// <summary>Silently dropped: the attacker sees a timeout.</summary>
    Drop,

    /// <summary>
    /// Rejected: a TCP reset when the jail covers TCP ports only, otherwise ICMP/ICMPv6
    /// administratively prohibited, so the attacker sees a refusal at once.
    /// </summary>
    Reject,
}
