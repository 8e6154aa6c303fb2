using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Web.Api;

/// <summary>Source-generated JSON for every API type (no reflection: Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BanDto))]
[JsonSerializable(typeof(BanDto[]))]
[JsonSerializable(typeof(BanRequest))]
[JsonSerializable(typeof(UnbanResult))]
[JsonSerializable(typeof(StatusDto))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(ShowDto))]
[JsonSerializable(typeof(DashboardDto))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
