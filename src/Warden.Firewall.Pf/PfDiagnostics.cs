using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Pf;

/// <summary>What <c>warden doctor</c> checks of the pf backend; reads only.</summary>
internal static class PfDiagnostics
{
    private const string Area = "pf";
    private const string StartFix = "start Warden (`warden run`): it loads its anchor's rules and tables and restores every stored ban";

    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(
        IPfctl pfctl, PfOptions options, IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        PfctlResult main;
        try
        {
            main = await pfctl.RunAsync(["-s", "rules"], null, cancellationToken);
        }
        catch (FirewallException ex)
        {
            findings.Add(DoctorFinding.Problem(Area, $"pfctl cannot be run: {ex.Error}", "run Warden as root on a system with pf (kldload pf; sysrc pf_enable=YES)"));
            return findings;
        }

        if (main.ExitCode != 0)
        {
            findings.Add(DoctorFinding.Problem(Area, $"pfctl -s rules failed: {main.StdErr.Trim()}", "enable pf: `pfctl -e` (and pf_enable=YES in rc.conf)"));
            return findings;
        }

        var anchor = $"anchor \"{options.Anchor}\"";
        findings.Add(main.StdOut.Contains(anchor, StringComparison.Ordinal)
            ? DoctorFinding.Ok(Area, $"the main ruleset evaluates {anchor}")
            : DoctorFinding.Problem(Area, $"the main ruleset has no {anchor}: Warden's block rules are never evaluated", $"add `{anchor}` before your pass rules in /etc/pf.conf, then `pfctl -f /etc/pf.conf`"));

        foreach (var jail in jails)
        {
            var table = PfRules.TableName(jail.Name);
            var shown = await pfctl.RunAsync(["-a", options.Anchor, "-t", table, "-T", "show"], null, cancellationToken);
            var expected = bans.Count(b => b.Jail == jail.Name && b.IsActiveAt(now));
            var actual = shown.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            findings.Add(shown.ExitCode != 0
                ? DoctorFinding.Problem(Area, $"table <{table}> is missing from anchor {options.Anchor}", StartFix)
                : actual != expected
                    ? DoctorFinding.Problem(Area, $"table <{table}> holds {actual} addresses, the state store has {expected} bans in force", StartFix)
                    : DoctorFinding.Ok(Area, $"table <{table}> holds the {actual} bans in force"));
        }

        return findings;
    }
}
