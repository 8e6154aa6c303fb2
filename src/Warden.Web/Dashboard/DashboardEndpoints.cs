using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Warden.Core.Addresses;
using Warden.Core.Ports;
using Warden.Web.Api;

namespace Warden.Web.Dashboard;

/// <summary>
/// The dashboard on the HTTP listener: the page and its script and style (embedded in the
/// binary: it works offline), <c>/api/dashboard</c> with everything the page shows,
/// <c>/api/show/ADDRESS</c> for the search, and, only with <c>[web] allow_changes = true</c>,
/// ban and unban, each of which must carry the CSRF token in <see cref="DashboardSource.CsrfHeader"/>.
/// Every request has already passed the token check.
/// </summary>
internal static class DashboardEndpoints
{
    private const int HistoryLimit = 50_000;

    public static void Map(WebApplication app, DashboardSource source)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            await next(context);
        });

        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/dashboard.js", () => Asset("dashboard.js", "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard.css", () => Asset("dashboard.css", "text/css; charset=utf-8"));

        var api = app.MapGroup("/api");
        api.MapGet("/dashboard", async (CancellationToken ct) => source.Engine is { } engine
            ? Results.Json(await BuildAsync(source, engine, ct), ApiJsonContext.Default.DashboardDto)
            : NotRunning());

        api.MapGet("/show/{**target}", (string target, CancellationToken ct) =>
            source.Engine is { } engine ? ApiEndpoints.ShowAsync(engine, target, 100, ct) : Task.FromResult(NotRunning()));

        api.MapPost("/bans", (BanRequest request, HttpContext context, CancellationToken ct) =>
            Refused(source, context) ?? (source.Engine is { } engine ? ApiEndpoints.BanAsync(engine, request, Who(context), ct) : Task.FromResult(NotRunning())));

        api.MapDelete("/bans/{**target}", (string target, HttpContext context, CancellationToken ct) =>
            Refused(source, context) ?? (source.Engine is { } engine ? ApiEndpoints.UnbanAsync(engine, target, ct) : Task.FromResult(NotRunning())));
    }

    /// <summary>Builds the dashboard document from the engine's status, bans in force and 7 days of history.</summary>
    internal static async Task<DashboardDto> BuildAsync(DashboardSource source, Core.Engine.BanEngine engine, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var status = await engine.StatusAsync(ct);
        var inForce = await engine.ListBansAsync(ct);
        var history = await engine.HistoryAsync(now - TimeSpan.FromDays(7), HistoryLimit, ct);
        var jails = status.Jails.Select(j => j.Name).ToList();
        var day = Timeline(source, history, jails, now, TimeSpan.FromHours(1), 24);
        var week = Timeline(source, history, jails, now, TimeSpan.FromHours(6), 28);
        var hosts = history.Where(p => AddressParsing.IsHost(p.Ban.Target)).ToList();
        var offenders = hosts
            .GroupBy(p => p.Ban.Target.BaseAddress)
            .Select(g => new OffenderDto(g.Key.ToString(), g.Count(), [.. g.Select(p => p.Ban.Jail).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], g.Max(p => p.Ban.Start)))
            .OrderByDescending(o => o.Bans).ThenByDescending(o => o.Last)
            .Take(10)
            .ToList();
        var networks = hosts
            .GroupBy(p => AddressParsing.ToNetwork(p.Ban.Target.BaseAddress, p.Ban.Target.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 24 : 64))
            .Select(g => new NetworkDto(AddressParsing.Format(g.Key), g.Count(), g.Select(p => p.Ban.Target.BaseAddress).Distinct().Count()))
            .OrderByDescending(n => n.Bans).ThenByDescending(n => n.Addresses)
            .Take(10)
            .ToList();
        return new DashboardDto(
            source.Version,
            now,
            status.Firewall,
            source.AllowChanges,
            source.AllowChanges ? source.Csrf : string.Empty,
            [.. status.Jails.Select(j => new DashboardJailDto(j.Name, j.BansInForce, j.Failures, j.Bans, j.Observe))],
            [.. status.Sources.Select(s => new SourceDto(s.Id, s.Lines, s.Cut, s.LastLine))],
            [.. inForce.OrderByDescending(b => b.Start).Select(BanDto.From)],
            day,
            week,
            offenders,
            networks,
            [.. history.Take(30).Select(p => PastBanDto.From(p, now))],
            source.Activity.Since);
    }

    private static TimelineDto Timeline(DashboardSource source, IReadOnlyList<PastBan> history, List<string> jails, DateTimeOffset now, TimeSpan width, int count)
    {
        // Buckets aligned to the recorder's: the last one holds now.
        var bucket = (long)width.TotalSeconds;
        var last = now.ToUnixTimeSeconds() / bucket;
        var start = DateTimeOffset.FromUnixTimeSeconds((last - count + 1) * bucket);
        var failures = source.Activity.Failures(width, count);
        var names = jails.Concat(history.Select(p => p.Ban.Jail)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var series = names.Select(name =>
        {
            var bans = new long[count];
            foreach (var past in history)
            {
                var index = (past.Ban.Start.ToUnixTimeSeconds() / bucket) - (last - count + 1);
                if (past.Ban.Jail == name && index >= 0 && index < count)
                {
                    bans[index]++;
                }
            }

            return new SeriesDto(name, bans, failures.GetValueOrDefault(name) ?? new long[count]);
        }).ToList();
        return new TimelineDto(start, (int)bucket, series);
    }

    // Changes need [web] allow_changes and the CSRF token: a cross-site form or fetch carries the
    // cookie at most (SameSite=Strict already stops that), never this header.
    private static Task<IResult>? Refused(DashboardSource source, HttpContext context)
    {
        if (!source.AllowChanges)
        {
            return Task.FromResult<IResult>(Results.Json(new ApiError("the dashboard is read-only: set [web] allow_changes = true to ban and unban from it"), ApiJsonContext.Default.ApiError, statusCode: StatusCodes.Status403Forbidden));
        }

        var offered = context.Request.Headers[DashboardSource.CsrfHeader].ToString();
        return offered.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(offered), System.Text.Encoding.ASCII.GetBytes(source.Csrf))
            ? null
            : Task.FromResult<IResult>(Results.Json(new ApiError($"missing or wrong {DashboardSource.CsrfHeader} header"), ApiJsonContext.Default.ApiError, statusCode: StatusCodes.Status403Forbidden));
    }

    private static string Who(HttpContext context) => $"dashboard ({context.Connection.RemoteIpAddress})";

    private static IResult NotRunning() =>
        Results.Json(new ApiError("no engine is running (starting or reloading)"), ApiJsonContext.Default.ApiError, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Warden.Web.Dashboard." + name)
            ?? throw new InvalidOperationException($"the dashboard's {name} is not embedded in the binary");
        return Results.Stream(stream, contentType);
    }
}
