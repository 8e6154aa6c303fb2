namespace Warden.Actions.Command;

/// <summary>An action.d command action as one jail runs it (fail2ban's server/action.py CommandAction).</summary>
/// <param name="Name">The action's name in the jail (<c>iptables-multiport</c>).</param>
/// <param name="Jail">The jail whose bans it receives.</param>
/// <param name="IPv4">Commands for IPv4 bans (fail2ban's family <c>inet4</c>).</param>
/// <param name="IPv6">Commands for IPv6 bans (<c>inet6</c>).</param>
public sealed record CommandActionSpec(string Name, string Jail, CommandSet IPv4, CommandSet IPv6)
{
    /// <summary>Longest a command may run before it is killed and counts as failed (fail2ban's <c>timeout</c>, 60 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Run actionstart per family at the first ban of that family, not at start (fail2ban's <c>actionstart_on_demand</c>).</summary>
    public bool StartOnDemand { get; init; }

    /// <summary>Skip actionban for bans restored at start (fail2ban's <c>norestored</c>, set by mail actions).</summary>
    public bool NoRestored { get; init; }

    /// <summary>When the two families share one set of commands (no conditional sections), start and stop run once.</summary>
    public bool SameForBothFamilies => IPv4 == IPv6;
}
