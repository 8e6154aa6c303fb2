using System.Text.Json.Serialization;

namespace Warden.Fail2Ban.FilterRun;

/// <summary>One failure as <c>warden test --json</c> writes it.</summary>
internal sealed record FailureJson(
    [property: JsonPropertyName("line")] long Line,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("time")] string Time);

/// <summary>A failregex and its hits.</summary>
internal sealed record RegexHitsJson(
    [property: JsonPropertyName("regex")] string Regex,
    [property: JsonPropertyName("hits")] long Hits);

/// <summary>An id and how often it failed.</summary>
internal sealed record IdCountJson(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("count")] long Count);

/// <summary>Source-generated serializers (no reflection; Native AOT safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(FailureJson))]
[JsonSerializable(typeof(RegexHitsJson[]))]
[JsonSerializable(typeof(IdCountJson[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class FilterTestJsonContext : JsonSerializerContext;
