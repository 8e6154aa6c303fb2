namespace Warden.Firewall.Iptables;

/// <summary>
/// The filter table as <c>iptables -S</c> prints it (rule-spec form, iptables(8)): which chains
/// exist, their policies and rules. Only Warden's chain and the chains it jumps from are read.
/// </summary>
internal sealed class FilterListing
{
    private readonly HashSet<string> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _rules = new(StringComparer.Ordinal);

    public static FilterListing Parse(string text)
    {
        var listing = new FilterListing();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var parts = line.Split(' ', 3);
            if (parts.Length >= 2 && parts[0] == "-N")
            {
                listing._chains.Add(parts[1]);
            }
            else if (parts.Length >= 3 && parts[0] == "-P")
            {
                listing._chains.Add(parts[1]);
                listing._policies[parts[1]] = parts[2];
            }
            else if (parts.Length >= 2 && parts[0] == "-A")
            {
                if (!listing._rules.TryGetValue(parts[1], out var rules))
                {
                    rules = [];
                    listing._rules[parts[1]] = rules;
                }

                rules.Add(line);
            }
        }

        return listing;
    }

    public bool HasChain(string chain) => _chains.Contains(chain);

    public string? Policy(string chain) => _policies.GetValueOrDefault(chain);

    public IReadOnlyList<string> Rules(string chain) => _rules.TryGetValue(chain, out var rules) ? rules : [];

    /// <summary>How many rules of <paramref name="chain"/> are exactly <c>-A CHAIN -j TARGET</c>.</summary>
    public int Jumps(string chain, string target) => Rules(chain).Count(r => r == $"-A {chain} -j {target}");
}
