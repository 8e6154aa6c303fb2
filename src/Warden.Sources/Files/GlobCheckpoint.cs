using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Sources.Files;

/// <summary>
/// The checkpoint of a glob source: one file checkpoint per followed path, as
/// <c>g1 {"path":"file checkpoint",...}</c>.
/// </summary>
internal static class GlobCheckpoint
{
    private const string Prefix = "g1 ";

    /// <summary>The token for these per-path tokens.</summary>
    public static string Format(IReadOnlyDictionary<string, string> files) =>
        Prefix + JsonSerializer.Serialize(files.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal), GlobCheckpointJson.Default.DictionaryStringString);

    /// <summary>The per-path tokens.</summary>
    /// <exception cref="FormatException">Not a glob checkpoint.</exception>
    public static Dictionary<string, string> Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException("not a glob checkpoint");
        }

        try
        {
            return JsonSerializer.Deserialize(token.AsSpan(Prefix.Length), GlobCheckpointJson.Default.DictionaryStringString)
                ?? throw new FormatException("not a glob checkpoint");
        }
        catch (JsonException ex)
        {
            throw new FormatException("not a glob checkpoint", ex);
        }
    }
}

/// <summary>Source-generated JSON for <see cref="GlobCheckpoint"/> (Native AOT has no reflection serializer).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class GlobCheckpointJson : JsonSerializerContext;
