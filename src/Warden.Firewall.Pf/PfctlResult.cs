namespace Warden.Firewall.Pf;

/// <summary>What one pfctl run gave back.</summary>
internal sealed record PfctlResult(int ExitCode, string StdOut, string StdErr);
