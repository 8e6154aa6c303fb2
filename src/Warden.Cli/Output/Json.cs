using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Warden.Web.Api;

namespace Warden.Cli.Output;

/// <summary>Writes one JSON document per command to standard output (for scripts: <c>jq</c>).</summary>
internal static class Json
{
    public static void Write<T>(T value, JsonTypeInfo<T> type) => Console.Out.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>
    /// An error: <c>error: MESSAGE</c> on standard error and, for <c>--json</c>, the same as a JSON
    /// document on standard output. Returns <paramref name="exitCode"/>, for the command to exit with.
    /// </summary>
    public static async Task<int> ErrorAsync(string message, int exitCode, bool asJson)
    {
        await Console.Error.WriteLineAsync($"error: {message}");
        if (asJson)
        {
            Write(new ApiError(message), ApiJsonContext.Default.ApiError);
        }

        return exitCode;
    }
}
