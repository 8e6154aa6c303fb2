using System.Text.Json;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>Reads Warden's table back with the real <c>nft</c> command inside the test namespace.</summary>
internal static class NftProbe
{
    /// <summary>The elements of a set as nft prints them in JSON: an address, a prefix "a/len" or a range "a-b".</summary>
    public static List<SetElement> Elements(NetworkNamespace ns, string set)
    {
        var json = ns.Exec("nft", "-j", "list", "set", "inet", "warden", set);
        using var doc = JsonDocument.Parse(json);
        var result = new List<SetElement>();
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("set", out var body) || !body.TryGetProperty("elem", out var elems))
            {
                continue;
            }

            foreach (var elem in elems.EnumerateArray())
            {
                result.Add(Parse(elem));
            }
        }

        return result;
    }

    /// <summary>The text of the table without elements.</summary>
    public static string Table(NetworkNamespace ns) => ns.Exec("nft", "-t", "list", "table", "inet", "warden");

    public static bool TableExists(NetworkNamespace ns) =>
        ns.RunAsync("nft", ["list", "table", "inet", "warden"]).GetAwaiter().GetResult().ExitCode == 0;

    private static SetElement Parse(JsonElement elem)
    {
        long? timeout = null;
        long? expires = null;
        var value = elem;
        if (elem.ValueKind == JsonValueKind.Object && elem.TryGetProperty("elem", out var wrapped))
        {
            value = wrapped.GetProperty("val");
            timeout = wrapped.TryGetProperty("timeout", out var t) ? t.GetInt64() : null;
            expires = wrapped.TryGetProperty("expires", out var e) ? e.GetInt64() : null;
        }

        return new SetElement(Text(value), timeout, expires);
    }

    private static string Text(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        if (value.TryGetProperty("prefix", out var prefix))
        {
            return $"{prefix.GetProperty("addr").GetString()}/{prefix.GetProperty("len").GetInt32()}";
        }

        if (value.TryGetProperty("range", out var range))
        {
            return $"{range[0].GetString()}-{range[1].GetString()}";
        }

        throw new InvalidOperationException("unexpected element " + value.GetRawText());
    }
}
