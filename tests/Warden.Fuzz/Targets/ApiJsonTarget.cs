using System.Text.Json;
using Warden.Core.Addresses;
using Warden.Web.Api;

namespace Warden.Fuzz.Targets;

/// <summary>
/// The API's JSON through its source-generated context (ApiJsonContext): the request body of
/// <c>POST /api/bans</c> with the checks ApiEndpoints.BanAsync makes before the engine, and the
/// responses the CLI's ApiClient reads. Bad JSON is a <see cref="JsonException"/>.
/// </summary>
internal static class ApiJsonTarget
{
    public static void Run(byte[] json)
    {
        try
        {
            if (JsonSerializer.Deserialize(json, ApiJsonContext.Default.BanRequest) is { } request)
            {
                _ = AddressParsing.TryParseNetwork(request.Target ?? string.Empty, out _);
            }
        }
        catch (JsonException)
        {
        }

        Response(json, ApiJsonContext.Default.BanDto);
        Response(json, ApiJsonContext.Default.BanDtoArray);
        Response(json, ApiJsonContext.Default.UnbanResult);
        Response(json, ApiJsonContext.Default.StatusDto);
        Response(json, ApiJsonContext.Default.ApiError);
        Response(json, ApiJsonContext.Default.ReloadResult);
        Response(json, ApiJsonContext.Default.ShowDto);
        Response(json, ApiJsonContext.Default.DashboardDto);
    }

    private static void Response<T>(byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            _ = JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
        }
    }
}
