using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Engine;
using Warden.Web.Dashboard;
using Warden.Web.Http;
using Warden.Web.Metrics;

namespace Warden.Cli.Hosting;

/// <summary>
/// The daemon's HTTP listener with its metrics exporter, for the whole process: made before the
/// first engine (so counters count from the start) and kept across reloads (the exporter sees
/// each generation's instruments; a changed <c>[web]</c> needs a restart). Dispose stops both.
/// </summary>
internal sealed partial class WebListener : IAsyncDisposable
{
    private readonly MetricsExporter _exporter;
    private readonly ActivityRecorder _activity;
    private readonly DashboardSource _dashboard;
    private readonly WebServer _server;

    private WebListener(MetricsExporter exporter, ActivityRecorder activity, DashboardSource dashboard, WebServer server)
    {
        _exporter = exporter;
        _activity = activity;
        _dashboard = dashboard;
        _server = server;
    }

    /// <summary>Shows <paramref name="engine"/> on the dashboard (the new generation's after a reload; <c>null</c> while none runs).</summary>
    public void Attach(BanEngine? engine) => _dashboard.Engine = engine;

    /// <summary>
    /// Starts the listener of <paramref name="settings"/>; <c>null</c> when it is off, or when the
    /// token file or the address cannot be used (logged: the daemon protects the host without it).
    /// </summary>
    public static async Task<WebListener?> StartAsync(WebSettings? settings, ILogger log, CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            return null;
        }

        var exporter = new MetricsExporter();
        var activity = new ActivityRecorder(Core.Metrics.CoreMeter.Name, TimeProvider.System);
        var dashboard = new DashboardSource(activity, settings.AllowChanges, Commands.VersionCommand.Describe());
        try
        {
            var (token, created) = TokenFile.LoadOrCreate(settings.TokenFile);
            if (created)
            {
                Log.TokenCreated(log, settings.TokenFile);
            }

            var options = new WebOptions { Listen = settings.Listen, Token = token, MetricsAuth = settings.MetricsAuth };
            return new WebListener(exporter, activity, dashboard, await WebServer.StartAsync(options, exporter, dashboard, log, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Log.Unavailable(log, settings.Listen, ex.Message);
            exporter.Dispose();
            activity.Dispose();
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _exporter.Dispose();
        _activity.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(6101, LogLevel.Warning, "Web token file {Path} did not exist: created it with a new random token (mode 0600)")]
        public static partial void TokenCreated(ILogger logger, string path);

        [LoggerMessage(6102, LogLevel.Error, "Web listener not available on {Listen}: {Error}; /metrics is off, the daemon runs on")]
        public static partial void Unavailable(ILogger logger, IPEndPoint listen, string error);
    }
}
