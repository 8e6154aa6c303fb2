using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// The dashboard in a real browser: after a real sshd brute force in namespaces, headless
/// Chromium (Debian's) opens <c>/?token=TOKEN</c> inside the server's namespace, the page shows
/// the ban and its sshd lines, a screenshot is kept, and unban from the page (two clicks) lets
/// the attacker connect again. Without the token every page and API answers 401.
/// </summary>
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Dashboard_ShowsTheBanWithEvidence_UnbanFromThePageLetsTheAttackerIn()
    {
        using var env = new SshdEnvironment(bantime: TimeSpan.FromMinutes(10));
        var tokenFile = env.Dir.File("web.token");
        env.Dir.Write("etc/warden.conf", $"""
            [warden]
            firewall = nftables
            state = {env.StatePath}

            [api]
            socket = {env.Dir.File("warden.sock")}

            [web]
            listen = 127.0.0.1:9191
            token_file = {tokenFile}
            allow_changes = true
            """);
        using var sshd = await SshServer.StartAsync(env.Server, env.Dir, env.LogPath);
        using var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);
        await warden.WaitForLogAsync("Web listener on", Soon);
        for (var i = 0; i < 3; i++)
        {
            await SshServer.FailLoginAsync(env.Attacker, env.ServerForAttacker);
        }

        await Eventually.TrueAsync(async () => (await env.BannedSetAsync()).Contains(env.AttackerAddress, StringComparison.Ordinal), Soon, () => $"attacker banned. Log:\n{warden.Log}");
        Assert.False(await env.Attacker.CanConnectAsync(env.ServerForAttacker, 22), "the ban holds the attacker out");

        // Without the token: 401 for the page, its script, every API and /metrics.
        foreach (var path in (string[])["/", "/dashboard.js", "/api/dashboard", $"/api/show/{env.AttackerAddress}", "/metrics", $"/?token=wrong"])
        {
            Assert.Equal("401", await StatusAsync(env, path, "GET"));
        }

        Assert.Equal("401", await StatusAsync(env, $"/api/bans/{env.AttackerAddress}", "DELETE"));

        var token = File.ReadAllText(tokenFile).Trim();
        using var page = await ChromiumPage.OpenAsync(env.Server, $"http://127.0.0.1:9191/?token={token}");
        var row = $"#in-force tr[data-target=\"{env.AttackerAddress}\"]";
        await page.WaitForAsync($"document.body.dataset.loaded === 'true' && document.querySelector('{row}')", Soon, () => $"the ban on the page. Chromium:\n{page.Log}");
        Assert.Equal("/", (await page.EvaluateAsync("location.pathname + location.search"))!.GetValue<string>());
        Assert.Equal("sshd", (await page.EvaluateAsync($"document.querySelector('{row} td').textContent"))!.GetValue<string>());

        var evidence = (await page.EvaluateAsync($"document.querySelector('#recent li[data-target=\"{env.AttackerAddress}\"] .evidence').textContent"))!.GetValue<string>();
        var sshLines = File.ReadAllLines(env.LogPath).Where(l => l.Contains("Failed password", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, sshLines.Count);
        Assert.All(sshLines, l => Assert.Contains(l, evidence, StringComparison.Ordinal));
        Assert.True((await page.EvaluateAsync("document.querySelectorAll('#chart-bans rect').length"))!.GetValue<int>() >= 1, "a bar in the bans chart");
        Assert.Contains($"{env.Net}.1.0/24", (await page.EvaluateAsync("document.querySelector('#chart-networks').textContent"))!.GetValue<string>(), StringComparison.Ordinal);
        await page.ScreenshotAsync(Repository.PathOf(".build", "test-artifacts", "dashboard.png"));

        var unban = $"button.unban[data-target=\"{env.AttackerAddress}\"]";
        await page.EvaluateAsync($"document.querySelector('{unban}').click()");
        Assert.Equal("confirm unban", (await page.EvaluateAsync($"document.querySelector('{unban}').textContent"))!.GetValue<string>());
        await page.EvaluateAsync($"document.querySelector('{unban}').click()");
        await Eventually.TrueAsync(async () => !(await env.BannedSetAsync()).Contains(env.AttackerAddress, StringComparison.Ordinal), Soon, () => $"the ban lifted from the page. Log:\n{warden.Log}\nChromium:\n{page.Log}");
        await Eventually.TrueAsync(() => env.Attacker.CanConnectAsync(env.ServerForAttacker, 22), Soon, "the attacker connects again");
        await page.WaitForAsync($"!document.querySelector('{row}')", Soon, () => "the ban gone from the page");
        Assert.Contains("Unban " + env.AttackerAddress + ": lifted by an admin", warden.Log, StringComparison.Ordinal);
        Assert.Equal(0, await warden.StopAsync());
    }

    private static async Task<string> StatusAsync(SshdEnvironment env, string path, string method) =>
        (await env.Server.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", method, $"http://127.0.0.1:9191{path}"])).StdOut.Trim();
}
