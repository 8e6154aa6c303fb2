using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Detections;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.Core.Migration;

/// <summary>
/// What fail2ban banned next to what Warden banned (or would have, observing) over the same
/// period, jail by jail: addresses both banned, those only fail2ban banned and those only Warden
/// did, each difference with a reason drawn from what the other side knew (its jail, its allowlist,
/// the failures it counted). For <c>warden compare</c>, before switching. Pure: the caller reads
/// both databases.
/// </summary>
public static class BanComparison
{
    /// <summary>Compares the bans of both sides that started at or after <paramref name="since"/>.</summary>
    /// <param name="fail2ban">fail2ban's bans (its database's bans table).</param>
    /// <param name="fail2banJails">The jails fail2ban's database knows, with whether they are enabled.</param>
    /// <param name="warden">Warden's bans, with their evidence; manual, fleet and imported ones are left out.</param>
    /// <param name="policies">Warden's jails.</param>
    /// <param name="failures">Warden's counted failures not settled by a ban.</param>
    /// <param name="since">The start of the period both sides watched.</param>
    public static IReadOnlyList<JailComparison> Compare(
        IReadOnlyList<Ban> fail2ban,
        IReadOnlyDictionary<string, bool> fail2banJails,
        IReadOnlyList<PastBan> warden,
        IReadOnlyList<JailPolicy> policies,
        IReadOnlyList<StoredFailure> failures,
        DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(fail2ban);
        ArgumentNullException.ThrowIfNull(fail2banJails);
        ArgumentNullException.ThrowIfNull(warden);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(failures);
        // fail2ban stores whole seconds (timeofban, the time of the failure that made the ban).
        var sinceSecond = DateTimeOffset.FromUnixTimeSeconds(since.ToUnixTimeSeconds());
        var theirs = fail2ban.Where(b => b.Start >= sinceSecond).GroupBy(b => b.Jail, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var ours = warden.Where(p => p.Ban.Start >= since && p.Ban.Origin == BanOrigin.Jail && p.Ban.By is null)
            .GroupBy(p => p.Ban.Jail, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byName = policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var names = new SortedSet<string>(theirs.Keys.Concat(ours.Keys), StringComparer.Ordinal);
        var result = new List<JailComparison>(names.Count);
        foreach (var name in names)
        {
            var f2b = theirs.GetValueOrDefault(name) ?? [];
            var own = ours.GetValueOrDefault(name) ?? [];
            var policy = byName.GetValueOrDefault(name);
            var both = new List<BothBanned>();
            var onlyFail2Ban = new List<Difference>();
            foreach (var group in f2b.GroupBy(b => b.Target.BaseAddress))
            {
                var first = group.First();
                var match = own.FirstOrDefault(p => p.Ban.Target.Contains(group.Key));
                if (match is not null)
                {
                    both.Add(new BothBanned(group.Key, first.Start, match.Ban.Start, match.Ban.Target, match.Ban.Observed));
                    continue;
                }

                onlyFail2Ban.Add(new Difference(group.Key, first.Start, first.Failures, WhyNotWarden(name, group.Key, policy, failures), first.Evidence));
            }

            var onlyWarden = own
                .Where(p => !f2b.Any(b => p.Ban.Target.Contains(b.Target.BaseAddress)))
                .GroupBy(p => p.Ban.Target)
                .Select(g => g.First())
                .Select(p => new Difference(p.Ban.Target.BaseAddress, p.Ban.Start, p.Ban.Failures, WhyNotFail2Ban(name, p.Ban, policy, fail2banJails), p.Ban.Evidence)
                {
                    Target = p.Ban.Target,
                    WouldBan = p.Ban.Observed,
                })
                .ToList();
            result.Add(new JailComparison(name, both, onlyFail2Ban, onlyWarden));
        }

        return result;
    }

    private static string WhyNotWarden(string jail, IPAddress address, JailPolicy? policy, IReadOnlyList<StoredFailure> failures)
    {
        if (policy is null)
        {
            return $"Warden runs no jail '{jail}'";
        }

        if (policy.Ignore.Contains(address))
        {
            return $"Warden's ignoreip of jail '{jail}' holds {address}: it never bans it";
        }

        var normal = AddressParsing.Normalize(address);
        var counted = failures.Where(f => f.Jail == jail && f.Address is { } a && AddressParsing.Normalize(a).Equals(normal)).Sum(f => f.Attempts);
        return counted == 0
            ? $"Warden counted no failure of it in '{jail}': its logpath or filter did not see the lines fail2ban matched"
            : $"Warden counted {counted} failure(s) of it in '{jail}', fewer than its maxretry {policy.MaxRetry} within findtime {BanTimeText.Duration(policy.FindTime)}"
                + (policy.Window == FindTimeWindow.Sliding ? string.Empty : " (counted as fail2ban does)");
    }

    private static string WhyNotFail2Ban(string jail, Ban ban, JailPolicy? policy, IReadOnlyDictionary<string, bool> fail2banJails)
    {
        if (!fail2banJails.TryGetValue(jail, out var enabled))
        {
            return $"fail2ban's database knows no jail '{jail}'";
        }

        if (!enabled)
        {
            return $"fail2ban's jail '{jail}' is disabled";
        }

        var what = ban.Target.PrefixLength < (ban.Target.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            ? $"Warden banned the network {AddressParsing.Format(ban.Target)} (prefix aggregation), fail2ban none of its addresses"
            : $"fail2ban did not ban it; Warden did after {ban.Failures} failure(s)";
        if (policy is null)
        {
            return what;
        }

        return policy.Window == FindTimeWindow.Sliding
            ? $"{what} (findtime {BanTimeText.Duration(policy.FindTime)}, a sliding window: where fail2ban's findtime window reset, Warden kept counting; findtime_window = fail2ban counts as fail2ban does)"
            : $"{what} (findtime {BanTimeText.Duration(policy.FindTime)}, counted as fail2ban does: compare the jails' maxretry and findtime)";
    }
}

/// <summary>One jail's comparison.</summary>
/// <param name="Jail">The jail name.</param>
/// <param name="Both">Addresses banned by both.</param>
/// <param name="OnlyFail2Ban">Addresses only fail2ban banned.</param>
/// <param name="OnlyWarden">Addresses (or networks) only Warden banned.</param>
public sealed record JailComparison(string Jail, IReadOnlyList<BothBanned> Both, IReadOnlyList<Difference> OnlyFail2Ban, IReadOnlyList<Difference> OnlyWarden)
{
    /// <summary>True when both sides banned the same addresses.</summary>
    public bool Same => OnlyFail2Ban.Count == 0 && OnlyWarden.Count == 0;
}

/// <summary>An address both banned.</summary>
/// <param name="Address">The address.</param>
/// <param name="Fail2BanStart">When fail2ban first banned it in the period.</param>
/// <param name="WardenStart">When Warden did.</param>
/// <param name="WardenTarget">What Warden banned: the address, or a network around it.</param>
/// <param name="WouldBan">True when Warden's jail observes: its ban is a "would ban".</param>
public sealed record BothBanned(IPAddress Address, DateTimeOffset Fail2BanStart, DateTimeOffset WardenStart, IPNetwork WardenTarget, bool WouldBan);

/// <summary>An address one side banned and the other did not.</summary>
/// <param name="Address">The address (the base of a network for a prefix ban).</param>
/// <param name="Start">When that side banned it.</param>
/// <param name="Failures">The failures that side counted for the ban.</param>
/// <param name="Reason">Why the other side did not ban it, from what it knew.</param>
/// <param name="Evidence">The log lines of the ban.</param>
public sealed record Difference(IPAddress Address, DateTimeOffset Start, int Failures, string Reason, IReadOnlyList<EvidenceLine> Evidence)
{
    /// <summary>What was banned when it is not just the address (a Warden prefix ban).</summary>
    public IPNetwork? Target { get; init; }

    /// <summary>True when it is a Warden "would ban" (the jail observes).</summary>
    public bool WouldBan { get; init; }
}
