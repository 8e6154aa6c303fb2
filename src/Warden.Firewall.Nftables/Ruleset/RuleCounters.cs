using System.Text.Json;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// The counters of the jails' drop rules in <c>nft -j list chain inet warden prerouting</c>
/// (libnftables-json(5)): a rule whose first set match names a jail's set (<c>"right":
/// "@sshd_h4"</c>) and whose verdict is drop or reject adds its <c>counter</c> to that jail.
/// Other rules (the port-scan logging rule) are not drops and are left out.
/// </summary>
internal static class RuleCounters
{
    /// <param name="json">The chain listing.</param>
    /// <param name="jails">The jails' sets as last applied.</param>
    /// <returns>One entry per jail that has a counted rule, in listing order.</returns>
    /// <exception cref="JsonException">The listing is not JSON.</exception>
    public static IReadOnlyList<JailDrops> Parse(string json, IEnumerable<JailSets> jails)
    {
        var bySet = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sets in jails)
        {
            foreach (var name in new[] { sets.Host4, sets.Net4, sets.Host6, sets.Net6 })
            {
                bySet[name] = sets.Jail.Name;
            }
        }

        var totals = new Dictionary<string, (long Packets, long Bytes)>(StringComparer.Ordinal);
        var order = new List<string>();
        using var doc = JsonDocument.Parse(json);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("rule", out var rule) || !rule.TryGetProperty("expr", out var expr))
            {
                continue;
            }

            string? jail = null;
            (long, long)? counter = null;
            var verdict = false;
            foreach (var statement in expr.EnumerateArray())
            {
                if (jail is null && statement.TryGetProperty("match", out var match) && match.TryGetProperty("right", out var right)
                    && right.ValueKind == JsonValueKind.String && right.GetString() is ['@', .. var set])
                {
                    jail = bySet.GetValueOrDefault(set);
                }
                else if (statement.TryGetProperty("counter", out var count) && count.ValueKind == JsonValueKind.Object)
                {
                    counter = (count.GetProperty("packets").GetInt64(), count.GetProperty("bytes").GetInt64());
                }
                else if (statement.TryGetProperty("drop", out _) || statement.TryGetProperty("reject", out _))
                {
                    verdict = true;
                }
            }

            if (jail is null || counter is not var (packets, bytes) || !verdict)
            {
                continue;
            }

            if (!totals.TryGetValue(jail, out var total))
            {
                order.Add(jail);
            }

            totals[jail] = (total.Packets + packets, total.Bytes + bytes);
        }

        return [.. order.Select(j => new JailDrops(j, totals[j].Packets, totals[j].Bytes))];
    }
}
