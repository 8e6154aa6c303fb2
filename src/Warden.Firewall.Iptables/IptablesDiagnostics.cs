using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>What <c>warden doctor</c> checks of the ipset + iptables backend; reads only.</summary>
internal static class IptablesDiagnostics
{
    private const string Area = "iptables";
    private const string StartFix = "start Warden (`warden run`): it creates its ipsets and chain and restores every stored ban; a running Warden repairs drift within 2 s";
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(
        CommandRunner run, IptablesOptions options, IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        foreach (var tool in new[] { options.Iptables, options.Ip6tables, options.Ipset })
        {
            var version = await TryRunAsync(run, tool, ["--version"], cancellationToken);
            if (version is not { ExitCode: 0 })
            {
                findings.Add(DoctorFinding.Problem(Area, $"{tool} cannot be run", "apt-get install iptables ipset, and run Warden as root"));
                return findings;
            }

            findings.Add(DoctorFinding.Ok(Area, version.StdOut.Trim()));
        }

        var sets = jails.Select(JailIpsets.For).ToList();
        foreach (var v6 in new[] { false, true })
        {
            var tool = v6 ? options.Ip6tables : options.Iptables;
            var listing = FilterListing.Parse((await run.RunCheckedAsync(tool, ["-w", "-t", "filter", "-S"], null, cancellationToken)).StdOut);
            findings.Add(ChainScript.Drift(listing, sets, v6, options.BlockType) is { } problem
                ? DoctorFinding.Problem(Area, $"{tool}: {problem}", StartFix)
                : DoctorFinding.Ok(Area, $"{tool}: chain WARDEN holds every jail's rule and is jumped to from INPUT{(listing.HasChain("DOCKER-USER") ? " and DOCKER-USER" : string.Empty)}"));
        }

        var counts = IpsetHeaders.Parse((await run.RunCheckedAsync(options.Ipset, ["list", "-t"], null, cancellationToken)).StdOut);
        foreach (var jail in sets)
        {
            foreach (var v6 in new[] { false, true })
            {
                var set = jail.For(v6);
                var mine = bans.Where(b => b.Jail == jail.Jail.Name && JailIpsets.IsV6(b.Target) == v6).ToList();
                var surely = mine.Count(b => b.Expires is null || b.Expires > now + Margin);
                var maybe = mine.Count(b => b.IsActiveAt(now - Margin));
                findings.Add(!counts.TryGetValue(set, out var actual)
                    ? DoctorFinding.Problem(Area, $"ipset {set} is missing", StartFix)
                    : actual < surely || actual > maybe
                        ? DoctorFinding.Problem(Area, $"ipset {set} holds {actual} entries, the state store has {surely} bans in force", StartFix)
                        : DoctorFinding.Ok(Area, $"ipset {set} holds the {actual} bans in force"));
            }
        }

        return findings;
    }

    private static async Task<CommandResult?> TryRunAsync(CommandRunner run, string tool, string[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await run.RunAsync(tool, args, null, cancellationToken);
        }
        catch (FirewallException)
        {
            return null;
        }
    }
}
