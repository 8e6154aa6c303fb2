using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.TestKit;
using Warden.Web.Http;
using Warden.Web.Metrics;

namespace Warden.Web.Tests.Http;

/// <summary>
/// The real listener on a free loopback port, asked over HTTP: the token as bearer header or
/// cookie lets a request through, anything else gets 401; /?token= sets the cookie and takes
/// the token out of the address; metrics_auth off opens /metrics and nothing else.
/// </summary>
public sealed class WebServerTests : IDisposable
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    private readonly Meter _meter = new($"Test.{Guid.NewGuid():N}");
    private readonly MetricsExporter _exporter;
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
    private WebServer? _server;

    public WebServerTests()
    {
        var name = _meter.Name;
        _exporter = new MetricsExporter(m => m.Name == name);
        _meter.CreateCounter<long>("bans", description: "Bans").Add(4, new KeyValuePair<string, object?>("jail", "sshd"));
    }

    [Fact]
    public async Task Metrics_WithBearerToken_AnswersExpositionText()
    {
        await StartAsync(metricsAuth: true);

        using var response = await SendAsync("/metrics", bearer: Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(4, Exposition.Parse(await response.Content.ReadAsStringAsync()).Value("warden_bans_total", "jail=sshd"));
    }

    [Theory]
    [InlineData("/metrics", null)]
    [InlineData("/metrics", "wrong")]
    [InlineData("/metrics", Token + "x")]
    [InlineData("/", null)]
    [InlineData("/?token=wrong", null)]
    [InlineData("/nothing-here", null)]
    public async Task Request_WithoutTheToken_Is401(string path, string? bearer)
    {
        await StartAsync(metricsAuth: true);

        using var response = await SendAsync(path, bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("warden_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_WithTokenInQuery_SetsStrictHttpOnlyCookieAndRedirectsItOutOfTheUrl()
    {
        await StartAsync(metricsAuth: true);

        using var opened = await SendAsync($"/?token={Token}");

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/", opened.Headers.Location!.OriginalString);
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{TokenAuthentication.CookieName}={Token};", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var metrics = await SendAsync("/metrics", cookie: $"{TokenAuthentication.CookieName}={Token}");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using var wrongCookie = await SendAsync("/metrics", cookie: $"{TokenAuthentication.CookieName}=nope");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCookie.StatusCode);
    }

    [Fact]
    public async Task MetricsAuthOff_OpensMetricsAloneOnLoopback()
    {
        await StartAsync(metricsAuth: false);

        using var metrics = await SendAsync("/metrics");
        using var root = await SendAsync("/");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, root.StatusCode);
    }

    [Fact]
    public async Task StartAsync_MetricsAuthOffOnAnAddressThatIsNotLoopback_Refuses()
    {
        var options = new WebOptions { Listen = new IPEndPoint(IPAddress.Any, 0), Token = Token, MetricsAuth = false };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => WebServer.StartAsync(options, _exporter, new Warden.Web.Dashboard.DashboardSource(new Warden.Web.Dashboard.ActivityRecorder("none", TimeProvider.System), false, "test"), NullLogger.Instance, CancellationToken.None));

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    // IDisposable: xunit 2 never calls a test class's IAsyncDisposable (xunit/xunit#2017).
    public void Dispose()
    {
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();

        _client.Dispose();
        _exporter.Dispose();
        _meter.Dispose();
    }

    private async Task StartAsync(bool metricsAuth)
    {
        var options = new WebOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Token = Token, MetricsAuth = metricsAuth };
        _server = await WebServer.StartAsync(options, _exporter, new Warden.Web.Dashboard.DashboardSource(new Warden.Web.Dashboard.ActivityRecorder("none", TimeProvider.System), false, "test"), NullLogger.Instance, CancellationToken.None);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? bearer = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server!.Address, path));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await _client.SendAsync(request);
    }
}
