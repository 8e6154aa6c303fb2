using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Cli.Output;

/// <summary>Source-generated JSON for what the CLI prints with <c>--json</c> beyond the API's own types (Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(CheckJson))]
[JsonSerializable(typeof(CompareJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
