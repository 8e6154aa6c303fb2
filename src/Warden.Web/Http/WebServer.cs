using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden.Web.Dashboard;
using Warden.Web.Metrics;

namespace Warden.Web.Http;

/// <summary>
/// The opt-in TCP listener (<c>[web] listen</c>): Prometheus metrics on <c>/metrics</c> and the
/// dashboard at <c>/</c>, behind <see cref="TokenAuthentication"/>. A Kestrel app of its own,
/// apart from the admin API, which stays on its unix socket: the dashboard bans and unbans only
/// with <c>[web] allow_changes = true</c> and a CSRF token. Dispose stops it.
/// </summary>
public sealed partial class WebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where it listens, with the port actually bound.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening.</summary>
    /// <param name="options">Address, token and whether /metrics needs the token.</param>
    /// <param name="exporter">What /metrics answers from.</param>
    /// <param name="dashboard">What the dashboard shows and may change.</param>
    /// <param name="logger">Where it says it listens.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="IOException">The address cannot be bound (not local).</exception>
    /// <exception cref="InvalidOperationException">The address is in use (Kestrel's AddressInUseException).</exception>
    /// <exception cref="ArgumentException">Metrics without the token on an address that is not loopback.</exception>
    public static async Task<WebServer> StartAsync(WebOptions options, MetricsExporter exporter, DashboardSource dashboard, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(logger);
        if (!options.MetricsAuth && !IPAddress.IsLoopback(options.Listen.Address))
        {
            throw new ArgumentException($"metrics without the token are only served on a loopback address, not {options.Listen}", nameof(options));
        }

        // As the admin API: the empty builder with Kestrel's core and routing only.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, Api.ApiJsonContext.Default));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Listen));
        var app = builder.Build();
        var auth = new TokenAuthentication(options);
        app.Use(auth.InvokeAsync);
        app.MapGet("/metrics", () => Results.Text(exporter.Collect(), PrometheusText.ContentType));
        DashboardEndpoints.Map(app, dashboard);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var address = new Uri(bound ?? $"http://{options.Listen}");
        Log.Listening(logger, address.ToString(), options.MetricsAuth);
        return new WebServer(app, address);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(6100, LogLevel.Information, "Web listener on {Address} (dashboard at /, /metrics; token needed for metrics: {MetricsAuth})")]
        public static partial void Listening(ILogger logger, string address, bool metricsAuth);
    }
}
