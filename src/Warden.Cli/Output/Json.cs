using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Warden.Web.Api;

namespace Warden.Cli.Output;

/// <summary>Writes one JSON document per command to standard output (for scripts: <c>jq</c>).</summary>
internal static class Json
{
    public static void Write<T>(T value, JsonTypeInfo<T> type) => Console.Out.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>An error as JSON on standard output (the words also go to standard error).</summary>
    public static async Task<int> ErrorAsync(string message, int exitCode)
    {
        await Console.Error.WriteLineAsync($"error: {message}");
        Write(new ApiError(message), ApiJsonContext.Default.ApiError);
        return exitCode;
    }
}
