namespace Warden.Firewall.Iptables;

/// <summary>What a finished iptables/ipset process gave back.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string StdOut, string StdErr);
