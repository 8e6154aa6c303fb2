using System.Text.Json;

namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>
/// Warden's table as <c>nft -j list table inet warden</c> describes it (libnftables-json(5)):
/// set names with their elements, chains with hook and priority, and rule counts per chain.
/// For <c>warden doctor</c> and the read-back at start only: it lists every element, which costs
/// O(elements).
/// </summary>
internal sealed class TableListing
{
    public Dictionary<string, List<string>> Sets { get; } = new(StringComparer.Ordinal);

    /// <summary>Every set's elements with their timeouts, as libnftables-json(5) gives them (whole seconds).</summary>
    public Dictionary<string, List<ListedElement>> Elements { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (string? Hook, int? Priority, int Rules)> Chains { get; } = new(StringComparer.Ordinal);

    public static TableListing Parse(string json)
    {
        var listing = new TableListing();
        using var doc = JsonDocument.Parse(json);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("set", out var set))
            {
                var elements = new List<ListedElement>();
                if (set.TryGetProperty("elem", out var elems))
                {
                    elements.AddRange(elems.EnumerateArray().Select(Listed));
                }

                var name = set.GetProperty("name").GetString()!;
                listing.Elements[name] = elements;
                listing.Sets[name] = elements.ConvertAll(e => e.Value);
            }
            else if (item.TryGetProperty("chain", out var chain))
            {
                var hook = chain.TryGetProperty("hook", out var h) ? h.GetString() : null;
                int? prio = chain.TryGetProperty("prio", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
                listing.Chains[chain.GetProperty("name").GetString()!] = (hook, prio, 0);
            }
            else if (item.TryGetProperty("rule", out var rule))
            {
                var name = rule.GetProperty("chain").GetString()!;
                if (listing.Chains.TryGetValue(name, out var c))
                {
                    listing.Chains[name] = c with { Rules = c.Rules + 1 };
                }
            }
        }

        return listing;
    }

    // {"elem": {"val": ..., "timeout": 3600, "expires": 3599}} carries the element's timeouts.
    private static ListedElement Listed(JsonElement element)
    {
        long? timeout = null;
        long? expires = null;
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("elem", out var wrapped))
        {
            timeout = Seconds(wrapped, "timeout");
            expires = Seconds(wrapped, "expires");
        }

        return new ListedElement(Element(element), timeout, expires);
    }

    private static long? Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) ? seconds : null;

    // An element is an address string, or an object: {"elem": {"val": ...}}, {"prefix": ...}, {"range": [...]}.
    private static string Element(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("elem", out var wrapped))
        {
            element = wrapped.GetProperty("val");
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString()!;
        }

        if (element.TryGetProperty("prefix", out var prefix))
        {
            return $"{prefix.GetProperty("addr").GetString()}/{prefix.GetProperty("len").GetInt32()}";
        }

        return element.TryGetProperty("range", out var range) ? $"{range[0].GetString()}-{range[1].GetString()}" : element.GetRawText();
    }
}
