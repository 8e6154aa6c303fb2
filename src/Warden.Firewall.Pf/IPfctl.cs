namespace Warden.Firewall.Pf;

/// <summary>Runs pfctl(8) with an argument list and optional standard input; the seam tests replace with a fake.</summary>
internal interface IPfctl
{
    Task<PfctlResult> RunAsync(IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken);
}
