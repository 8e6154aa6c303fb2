using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Engine;
using Warden.Core.Policy;
using Warden.Web.Api;

namespace Warden.Web;

/// <summary>
/// The admin API's routes. Every handler goes through the engine's loop (its public commands),
/// so an API ban passes the same allowlist guard and lands in the same history as any other.
/// </summary>
internal static class ApiEndpoints
{
    public static void Map(WebApplication app, BanEngine engine, ApiOptions options, DateTimeOffset started)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/status", async (CancellationToken ct) =>
            TypedResults.Ok(StatusDto.From(await engine.StatusAsync(ct), options, started)));

        // Answers once the new configuration runs, or with the errors that kept the old one.
        api.MapPost("/reload", async (CancellationToken ct) => options.Reload is { } reload
            ? Results.Ok(await reload(ct))
            : Results.NotFound(new ApiError("this daemon does not reload")));

        api.MapGet("/bans", async (CancellationToken ct) =>
            TypedResults.Ok((await engine.ListBansAsync(ct)).OrderBy(b => b.Start).Select(BanDto.From).ToArray()));

        api.MapPost("/bans", (BanRequest request, HttpContext context, CancellationToken ct) =>
            BanAsync(engine, request, PeerCredentials.Describe(context), ct));

        api.MapDelete("/bans/{**target}", (string target, CancellationToken ct) => UnbanAsync(engine, target, ct));

        api.MapGet("/show/{**target}", (string target, int? limit, CancellationToken ct) =>
            ShowAsync(engine, target, Math.Clamp(limit ?? 100, 1, 10_000), ct));

        api.MapDelete("/bans", async (CancellationToken ct) =>
            TypedResults.Ok(new UnbanResult([.. (await engine.UnbanAllAsync(ct)).Select(BanDto.From)])));
    }

    /// <summary>A manual ban by <paramref name="by"/>, through the engine's guard (admin socket and dashboard).</summary>
    internal static async Task<IResult> BanAsync(BanEngine engine, BanRequest? request, string? by, CancellationToken ct)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Jail) || !AddressParsing.TryParseNetwork(request.Target ?? string.Empty, out var target))
        {
            return Results.BadRequest(new ApiError($"'{request?.Target}' is not an address or network"));
        }

        if (request.Duration is { } asked && !(asked < 0 || (asked >= 1 && asked <= BanDecisions.LongestSeconds)))
        {
            return Results.BadRequest(new ApiError(
                $"duration must be seconds from 1 to {BanDecisions.LongestSeconds:F0} (100 years), or negative for permanent, not {asked.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        }

        // /0 is never banned, forced or not: the engine's guard says so ("every address").
        if (!request.Force && target.PrefixLength > 0
            && target.PrefixLength < (target.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 8 : 32))
        {
            return Results.BadRequest(new ApiError(
                $"{AddressParsing.Format(target)} is wider than /8 (IPv4) or /32 (IPv6): ban it with force (warden ban --force) if that is meant"));
        }

        TimeSpan? duration = request.Duration switch
        {
            null => null,
            < 0 => BanDecisions.Permanent,
            { } seconds => TimeSpan.FromSeconds(seconds),
        };
        var outcome = await engine.BanAsync(request.Jail, target, duration, BanOrigin.Manual, by, ct);
        if (outcome.UnknownJail is { } jail)
        {
            return Results.NotFound(new ApiError($"no jail '{jail}' is running"));
        }

        if (outcome.Refusal is { } refusal)
        {
            return Results.Json(new ApiError($"refused: {Describe(refusal)}"), ApiJsonContext.Default.ApiError, statusCode: StatusCodes.Status403Forbidden);
        }

        return Results.Created($"/api/bans/{AddressParsing.Format(outcome.Ban!.Target)}", BanDto.From(outcome.Ban));
    }

    /// <summary>Lifts every ban covering <paramref name="target"/> (URL-encoded address or network).</summary>
    internal static async Task<IResult> UnbanAsync(BanEngine engine, string target, CancellationToken ct)
    {
        if (!AddressParsing.TryParseNetwork(WebUtility.UrlDecode(target), out var network))
        {
            return Results.BadRequest(new ApiError($"'{target}' is not an address or network"));
        }

        var lifted = await engine.UnbanAsync(network, ct);
        return lifted.Count == 0
            ? Results.NotFound(new ApiError($"no ban covers {AddressParsing.Format(network)}"))
            : Results.Ok(new UnbanResult([.. lifted.Select(BanDto.From)]));
    }

    /// <summary>The bans (at most <paramref name="limit"/>) and failures of <paramref name="target"/> (URL-encoded).</summary>
    internal static async Task<IResult> ShowAsync(BanEngine engine, string target, int limit, CancellationToken ct)
    {
        if (!AddressParsing.TryParseNetwork(WebUtility.UrlDecode(target), out var network))
        {
            return Results.BadRequest(new ApiError($"'{target}' is not an address or network"));
        }

        return Results.Ok(ShowDto.From(await engine.ShowAsync(network, limit, ct), DateTimeOffset.UtcNow));
    }

    internal static string Describe(BanRefusal refusal) => refusal switch
    {
        BanRefusal.EveryAddress => "a ban of every address (/0) is never allowed",
        BanRefusal.Allowlisted => "the target covers an allowlisted address (loopback, this host's own, warden.conf allowlist)",
        _ => "the target covers an address of the jail's ignoreip",
    };

}
