using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Engine;
using Warden.Core.Metrics;
using Warden.TestKit;
using Warden.Web.Dashboard;
using Warden.Web.Http;
using Warden.Web.Metrics;

namespace Warden.Web.Tests.Dashboard;

/// <summary>
/// The dashboard on the real listener over a real engine (in-memory firewall and store): the page
/// and its assets come from the binary with a strict CSP, /api/dashboard holds a ban made from
/// log lines with its evidence, the failures and the ban in the current bucket and the source's
/// health; read-only unless allowed, and every change needs the CSRF token.
/// </summary>
public sealed class DashboardTests : IDisposable
{
    private const string Token = "fedcba9876543210fedcba9876543210";
    private readonly InMemoryStateStore _store = new();
    private readonly EngineHarness _engines;
    private readonly MetricsExporter _exporter = new();
    private readonly ActivityRecorder _activity = new(CoreMeter.Name, TimeProvider.System);
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly QueueLogSource _source = new("queue:dashboard");
    private WebServer? _server;

    public DashboardTests() => _engines = new EngineHarness(TimeProvider.System, new InMemoryFirewall(), _store) { Evidence = _store, History = _store };

    [Fact]
    public async Task Page_WithToken_IsServedFromTheBinaryWithAStrictPolicy()
    {
        await StartAsync(allowChanges: false);

        using var page = await SendAsync(HttpMethod.Get, "/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script src=\"/dashboard.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        using var script = await SendAsync(HttpMethod.Get, "/dashboard.js");
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType!.ToString());
        Assert.Contains("/api/dashboard", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var style = await SendAsync(HttpMethod.Get, "/dashboard.css");
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard.js")]
    [InlineData("/api/dashboard")]
    [InlineData("/api/show/192.0.2.1")]
    public async Task Anything_WithoutTheToken_Is401(string path)
    {
        await StartAsync(allowChanges: true);

        using var response = await SendAsync(HttpMethod.Get, path, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_AfterBanFromLogLines_HoldsTheBanEvidenceTimelineAndSource()
    {
        var engine = await StartAsync(allowChanges: false);
        _source.Write(FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"), FakeLineFilter.Line("192.0.2.7"));
        await Eventually.TrueAsync(async () => (await engine.ListBansAsync(CancellationToken.None)).Count == 1, EngineHarness.Wait, "the ban");

        using var doc = JsonDocument.Parse(await (await SendAsync(HttpMethod.Get, "/api/dashboard")).Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.False(root.GetProperty("allowChanges").GetBoolean());
        Assert.Equal(string.Empty, root.GetProperty("csrf").GetString());
        var jail = Assert.Single(root.GetProperty("jails").EnumerateArray());
        Assert.Equal("sshd", jail.GetProperty("name").GetString());
        Assert.Equal(1, jail.GetProperty("bansInForce").GetInt32());
        Assert.Equal("192.0.2.7", Assert.Single(root.GetProperty("inForce").EnumerateArray()).GetProperty("target").GetString());

        var recent = Assert.Single(root.GetProperty("recent").EnumerateArray());
        Assert.Equal(3, recent.GetProperty("evidence").GetArrayLength());
        Assert.All(recent.GetProperty("evidence").EnumerateArray(), e => Assert.Equal(FakeLineFilter.Line("192.0.2.7"), e.GetProperty("line").GetString()));

        foreach (var range in (string[])["day", "week"])
        {
            var series = Assert.Single(root.GetProperty(range).GetProperty("series").EnumerateArray());
            var bans = series.GetProperty("bans").EnumerateArray().Select(e => e.GetInt64()).ToList();
            Assert.Equal(range == "day" ? 24 : 28, bans.Count);
            Assert.Equal(1, bans[^1]);
            Assert.Equal(1, bans.Sum());
            Assert.Equal(3, series.GetProperty("failures").EnumerateArray().Select(e => e.GetInt64()).Sum());
        }

        var offender = Assert.Single(root.GetProperty("topOffenders").EnumerateArray());
        Assert.Equal("192.0.2.7", offender.GetProperty("address").GetString());
        Assert.Equal("192.0.2.0/24", Assert.Single(root.GetProperty("networks").EnumerateArray()).GetProperty("network").GetString());
        var source = Assert.Single(root.GetProperty("sources").EnumerateArray());
        Assert.Equal("queue:dashboard", source.GetProperty("id").GetString());
        Assert.Equal(3, source.GetProperty("lines").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, source.GetProperty("lastLine").ValueKind);

        using var show = JsonDocument.Parse(await (await SendAsync(HttpMethod.Get, "/api/show/192.0.2.7")).Content.ReadAsStringAsync());
        Assert.Equal(3, Assert.Single(show.RootElement.GetProperty("bans").EnumerateArray()).GetProperty("evidence").GetArrayLength());
    }

    [Fact]
    public async Task Changes_ReadOnly_AreRefused()
    {
        var engine = await StartAsync(allowChanges: false);
        _source.Write(FakeLineFilter.Line("192.0.2.8"), FakeLineFilter.Line("192.0.2.8"), FakeLineFilter.Line("192.0.2.8"));
        await Eventually.TrueAsync(async () => (await engine.ListBansAsync(CancellationToken.None)).Count == 1, EngineHarness.Wait, "the ban");

        using var unban = await SendAsync(HttpMethod.Delete, "/api/bans/192.0.2.8");
        using var ban = await SendAsync(HttpMethod.Post, "/api/bans", json: "{\"jail\":\"sshd\",\"target\":\"192.0.2.9\"}");

        Assert.Equal(HttpStatusCode.Forbidden, unban.StatusCode);
        Assert.Contains("read-only", await unban.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, ban.StatusCode);
        Assert.Single(await engine.ListBansAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Changes_Allowed_NeedTheCsrfToken()
    {
        var engine = await StartAsync(allowChanges: true);
        using (var doc = JsonDocument.Parse(await (await SendAsync(HttpMethod.Get, "/api/dashboard")).Content.ReadAsStringAsync()))
        {
            var csrf = doc.RootElement.GetProperty("csrf").GetString()!;
            Assert.Equal(48, csrf.Length);

            using var noToken = await SendAsync(HttpMethod.Post, "/api/bans", json: "{\"jail\":\"sshd\",\"target\":\"192.0.2.10\"}");
            using var wrongToken = await SendAsync(HttpMethod.Post, "/api/bans", json: "{\"jail\":\"sshd\",\"target\":\"192.0.2.10\"}", csrf: "nope");
            Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
            Assert.Empty(await engine.ListBansAsync(CancellationToken.None));

            using var ban = await SendAsync(HttpMethod.Post, "/api/bans", json: "{\"jail\":\"sshd\",\"target\":\"192.0.2.10\",\"duration\":600}", csrf: csrf);
            Assert.Equal(HttpStatusCode.Created, ban.StatusCode);
            Assert.Single(await engine.ListBansAsync(CancellationToken.None));
            var made = Assert.Single(await engine.HistoryAsync(DateTimeOffset.UtcNow.AddMinutes(-1), 10, CancellationToken.None));
            Assert.Equal("dashboard (127.0.0.1)", made.Ban.By);

            using var refusedUnban = await SendAsync(HttpMethod.Delete, "/api/bans/192.0.2.10");
            Assert.Equal(HttpStatusCode.Forbidden, refusedUnban.StatusCode);
            using var unban = await SendAsync(HttpMethod.Delete, "/api/bans/192.0.2.10", csrf: csrf);
            Assert.Equal(HttpStatusCode.OK, unban.StatusCode);
            Assert.Empty(await engine.ListBansAsync(CancellationToken.None));
        }
    }

    public void Dispose()
    {
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client.Dispose();
        _activity.Dispose();
        _exporter.Dispose();
    }

    private async Task<BanEngine> StartAsync(bool allowChanges)
    {
        var engine = await _engines.StartAsync(EngineHarness.Jail("sshd", 22, new FakeLineFilter(TimeProvider.System)), _source);
        var dashboard = new DashboardSource(_activity, allowChanges, "test") { Engine = engine };
        var options = new WebOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Token = Token };
        _server = await WebServer.StartAsync(options, _exporter, dashboard, NullLogger.Instance, CancellationToken.None);
        return engine;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = Token, string? json = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_server!.Address, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (csrf is not null)
        {
            request.Headers.Add(DashboardSource.CsrfHeader, csrf);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _client.SendAsync(request);
    }
}
