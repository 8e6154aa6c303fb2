using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;
using Warden.Firewall.Nftables.Native;
using Warden.Firewall.Nftables.Ruleset;

namespace Warden.Firewall.Nftables;

/// <summary>What <c>warden doctor</c> checks of the nftables backend; reads only.</summary>
internal static class NftablesDiagnostics
{
    private const string Area = "nftables";
    private const string StartFix = "start Warden (`warden run`): it creates table inet warden and restores every stored ban; a running Warden repairs drift within 2 s";

    // Bans this close to their end may or may not still be in the kernel.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(
        NftWorker worker, IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        NftResult result;
        try
        {
            result = await worker.RunAsync(session => session.Context.ListJson($"list table inet {NftablesOptions.TableName}"), cancellationToken);
        }
        catch (FirewallException ex)
        {
            findings.Add(DoctorFinding.Problem(Area, $"libnftables cannot be used: {ex.Error}", "apt-get install libnftables1, and run Warden as root (it needs CAP_NET_ADMIN)"));
            return findings;
        }

        findings.Add(DoctorFinding.Ok(Area, "libnftables.so.1 loads; bans go to the kernel in-process, in one transaction per batch"));
        if (!result.Succeeded)
        {
            findings.Add(DoctorFinding.Problem(Area, "table inet warden does not exist: no ban is enforced", StartFix));
            return findings;
        }

        var listing = TableListing.Parse(result.Output);
        findings.Add(ChainFinding(listing, jails.Count));
        foreach (var jail in jails)
        {
            findings.Add(JailFinding(listing, JailSets.For(jail), bans.Where(b => b.Jail == jail.Name).ToList(), now));
        }

        var known = jails.Select(JailSets.For).SelectMany(s => new[] { s.Host4, s.Host6, s.Net4, s.Net6 }).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in listing.Sets.Keys.Where(k => !known.Contains(k)))
        {
            findings.Add(DoctorFinding.Warning(Area, $"set {stray} belongs to no configured jail", "restart Warden: a whole-state apply drops sets of jails no longer configured"));
        }

        return findings;
    }

    private static DoctorFinding ChainFinding(TableListing listing, int jails)
    {
        if (!listing.Chains.TryGetValue(RuleText.ChainName, out var chain) || chain.Hook != "prerouting" || chain.Priority != -110)
        {
            return DoctorFinding.Problem(Area, "chain prerouting (hook prerouting, priority dstnat - 10) is missing or changed", StartFix);
        }

        return chain.Rules == jails * 4
            ? DoctorFinding.Ok(Area, $"chain prerouting hooks prerouting at dstnat - 10, before any DNAT: local services and Docker-published ports are both covered ({chain.Rules} rules)")
            : DoctorFinding.Problem(Area, $"chain prerouting holds {chain.Rules} rules, expected {jails * 4}", StartFix);
    }

    private static DoctorFinding JailFinding(TableListing listing, JailSets sets, List<Ban> bans, DateTimeOffset now)
    {
        var name = sets.Jail.Name;
        var missingSets = new[] { sets.Host4, sets.Host6, sets.Net4, sets.Net6 }.Where(s => !listing.Sets.ContainsKey(s)).ToList();
        if (missingSets.Count > 0)
        {
            return DoctorFinding.Problem(Area, $"jail {name}: sets {string.Join(", ", missingSets)} are missing", StartFix);
        }

        var surely = bans.Where(b => b.Expires is null || b.Expires > now + Margin).ToList();
        var maybe = bans.Where(b => b.IsActiveAt(now - Margin)).Select(b => b.Target).ToHashSet();
        var kernelHosts = listing.Sets[sets.Host4].Concat(listing.Sets[sets.Host6])
            .Select(e => IPAddress.TryParse(e, out var a) ? AddressParsing.HostNetwork(a) : (IPNetwork?)null)
            .OfType<IPNetwork>().ToHashSet();
        var missing = surely.Where(b => AddressParsing.IsHost(b.Target) && !kernelHosts.Contains(b.Target)).Select(b => b.Target).ToList();
        var extra = kernelHosts.Where(t => !maybe.Contains(t)).ToList();
        var netBans = surely.Count(b => !AddressParsing.IsHost(b.Target));
        var netElements = listing.Sets[sets.Net4].Count + listing.Sets[sets.Net6].Count;
        if (missing.Count > 0)
        {
            return DoctorFinding.Problem(Area, $"jail {name}: {missing.Count} stored bans are not in the kernel (first: {AddressParsing.Format(missing[0])})", StartFix);
        }

        if (extra.Count > 0)
        {
            return DoctorFinding.Warning(Area, $"jail {name}: {extra.Count} addresses in the kernel have no ban in the state store (first: {AddressParsing.Format(extra[0])})", StartFix);
        }

        if (netBans > 0 && netElements == 0)
        {
            return DoctorFinding.Problem(Area, $"jail {name}: {netBans} network bans are stored but its interval sets are empty", StartFix);
        }

        return DoctorFinding.Ok(Area, $"jail {name}: the kernel holds the {surely.Count} bans in force ({kernelHosts.Count} addresses, {netElements} network ranges)");
    }
}
