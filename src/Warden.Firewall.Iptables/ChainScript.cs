using System.Text;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>
/// iptables-restore scripts for Warden's chain. They run with <c>--noflush</c>, so only what
/// they name changes: <c>:WARDEN - [0:0]</c> creates or empties Warden's own chain, and jumps
/// are deleted and inserted one by one. A script is committed as a whole or not at all.
/// </summary>
internal static class ChainScript
{
    private const string Chain = IptablesOptions.ChainName;
    private const string Input = "INPUT";
    private const string DockerUser = "DOCKER-USER";

    /// <summary>Fills WARDEN with the jails' rules and puts exactly one jump to it first in INPUT (and DOCKER-USER).</summary>
    public static string Apply(FilterListing listing, IEnumerable<JailIpsets> jails, bool v6, BlockType blockType)
    {
        var text = new StringBuilder("*filter\n");
        text.Append(':').Append(Chain).Append(" - [0:0]\n");
        foreach (var jail in jails)
        {
            foreach (var rule in ChainRules.For(jail, v6, blockType))
            {
                text.Append(rule).Append('\n');
            }
        }

        foreach (var from in JumpSources(listing))
        {
            for (var i = listing.Jumps(from, Chain); i > 0; i--)
            {
                text.Append("-D ").Append(from).Append(" -j ").Append(Chain).Append('\n');
            }

            text.Append("-I ").Append(from).Append(" 1 -j ").Append(Chain).Append('\n');
        }

        return text.Append("COMMIT\n").ToString();
    }

    /// <summary>Deletes the jumps and the chain; null when there is nothing of Warden's.</summary>
    public static string? Remove(FilterListing listing) => RemoveChain(listing, Chain, [Input, DockerUser]);

    /// <summary>
    /// An iptables-restore script deleting every plain jump to <paramref name="chain"/> from
    /// <paramref name="sources"/>, then the chain itself; null when none of it exists.
    /// </summary>
    public static string? RemoveChain(FilterListing listing, string chain, IEnumerable<string> sources)
    {
        var text = new StringBuilder("*filter\n");
        var any = false;
        foreach (var from in sources)
        {
            for (var i = listing.Jumps(from, chain); i > 0; i--)
            {
                text.Append("-D ").Append(from).Append(" -j ").Append(chain).Append('\n');
                any = true;
            }
        }

        if (listing.HasChain(chain))
        {
            text.Append("-F ").Append(chain).Append("\n-X ").Append(chain).Append('\n');
            any = true;
        }

        return any ? text.Append("COMMIT\n").ToString() : null;
    }

    /// <summary>What differs from what <see cref="Apply"/> made, or null.</summary>
    public static string? Drift(FilterListing listing, IEnumerable<JailIpsets> jails, bool v6, BlockType blockType)
    {
        if (!listing.HasChain(Chain))
        {
            return $"chain {Chain} is missing";
        }

        var expected = jails.SelectMany(j => ChainRules.For(j, v6, blockType)).Count();
        var actual = listing.Rules(Chain).Count;
        if (actual != expected)
        {
            return $"chain {Chain} holds {actual} rules, expected {expected}";
        }

        foreach (var from in JumpSources(listing))
        {
            var rules = listing.Rules(from);
            var jump = rules.ToList().IndexOf($"-A {from} -j {Chain}");
            if (jump < 0)
            {
                return $"no jump from {from} to {Chain}";
            }

            // In DOCKER-USER anything returning or accepting before the jump would let banned sources through.
            var bypass = rules.Take(jump).FirstOrDefault(r => r.EndsWith(" -j RETURN", StringComparison.Ordinal) || r == $"-A {from} -j ACCEPT");
            if (from == DockerUser && bypass is not null)
            {
                return $"'{bypass}' comes before the jump to {Chain}";
            }
        }

        return null;
    }

    private static IEnumerable<string> JumpSources(FilterListing listing) =>
        listing.HasChain(DockerUser) ? [Input, DockerUser] : [Input];
}
