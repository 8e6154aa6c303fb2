namespace Warden.Firewall.Iptables;

/// <summary>Entry counts per set from <c>ipset list -t</c> (headers only, no members: cheap at any size).</summary>
internal static class IpsetHeaders
{
    public static Dictionary<string, int> Parse(string text)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        string? name = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Name: ", StringComparison.Ordinal))
            {
                name = line["Name: ".Length..];
                result[name] = 0;
            }
            else if (name is not null && line.StartsWith("Number of entries: ", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan("Number of entries: ".Length), out var count))
            {
                result[name] = count;
            }
        }

        return result;
    }
}
