using System.Text;

namespace Warden.Firewall.Iptables;

/// <summary>
/// iptables-restore scripts (with <c>--noflush</c>) for the forward guard. Docker puts its
/// DOCKER-USER chain first in FORWARD and sets FORWARD's policy to DROP; iptables(8) evaluates
/// every base chain of a hook, so an accept in another table (nftables' own included) cannot
/// undo that drop: the accept has to be in DOCKER-USER itself, or in FORWARD without Docker.
/// </summary>
internal static class GuardScript
{
    private const string Chain = ForwardGuardOptions.ChainName;
    private const string DockerUser = "DOCKER-USER";
    private const string Forward = "FORWARD";

    public static string Apply(FilterListing listing, IReadOnlyList<string> interfaces)
    {
        var text = new StringBuilder("*filter\n");
        text.Append(':').Append(Chain).Append(" - [0:0]\n");
        foreach (var name in interfaces)
        {
            text.Append("-A ").Append(Chain).Append(" -i ").Append(name).Append(" -j ACCEPT\n");
            text.Append("-A ").Append(Chain).Append(" -o ").Append(name).Append(" -j ACCEPT\n");
        }

        foreach (var from in new[] { DockerUser, Forward })
        {
            for (var i = listing.Jumps(from, Chain); i > 0; i--)
            {
                text.Append("-D ").Append(from).Append(" -j ").Append(Chain).Append('\n');
            }
        }

        var target = Target(listing);
        text.Append("-I ").Append(target).Append(' ').Append(Position(listing, target)).Append(" -j ").Append(Chain).Append('\n');
        return text.Append("COMMIT\n").ToString();
    }

    public static string? Remove(FilterListing listing) => ChainScript.RemoveChain(listing, Chain, [DockerUser, Forward]);

    public static string? Drift(FilterListing listing, IReadOnlyList<string> interfaces)
    {
        if (!listing.HasChain(Chain))
        {
            return $"chain {Chain} is missing";
        }

        if (listing.Rules(Chain).Count != interfaces.Count * 2)
        {
            return $"chain {Chain} holds {listing.Rules(Chain).Count} rules, expected {interfaces.Count * 2}";
        }

        var target = Target(listing);
        var rules = listing.Rules(target).ToList();
        var jump = rules.IndexOf($"-A {target} -j {Chain}");
        if (jump < 0)
        {
            return $"no jump from {target} to {Chain}";
        }

        // A RETURN above the jump skips it; other people's rules above it are theirs to order.
        var bypass = rules.Take(jump).FirstOrDefault(r => r == $"-A {target} -j RETURN");
        return bypass is null ? null : $"'{bypass}' comes before the jump to {Chain}";
    }

    // With Docker, DOCKER-USER is where users' accepts belong (Docker's "packet filtering and
    // firewalls" documentation); without it, FORWARD itself.
    private static string Target(FilterListing listing) => listing.HasChain(DockerUser) ? DockerUser : Forward;

    // Right after Warden's ban jump when there is one, so banned sources are dropped before the accept.
    private static int Position(FilterListing listing, string target)
    {
        var remaining = listing.Rules(target).Where(r => r != $"-A {target} -j {Chain}").ToList();
        var bans = remaining.IndexOf($"-A {target} -j {IptablesOptions.ChainName}");
        return bans < 0 ? 1 : bans + 2;
    }
}
