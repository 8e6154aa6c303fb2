using System.Globalization;
using System.Text.Json;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Metrics after a real sshd brute force, in the server's namespace: <c>/metrics</c> on the
/// daemon's opt-in listener answers the ban and the failures that caused it with the token (made
/// by the daemon in its token file) and 401 without it, and Debian's Prometheus, scraping with
/// the token file, answers <c>warden_bans_total</c> for the jail through its own query API. The
/// attacker's packets dropped after the ban are counted by Warden's own nftables rule.
/// </summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Metrics_AfterSshdBruteForce_ShowTheBanWithTheTokenAndPrometheusScrapesIt()
    {
        using var env = new SshdEnvironment(bantime: TimeSpan.FromMinutes(10));
        var port = await env.Server.FreePortAsync();
        var tokenFile = env.Dir.File("web/token");
        File.AppendAllText(Path.Combine(env.ConfigDir, "warden.conf"), $"\n[web]\nlisten = 127.0.0.1:{port}\ntoken_file = {tokenFile}\n");
        using var sshd = await SshServer.StartAsync(env.Server, env.Dir, env.LogPath);
        using var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);
        await warden.WaitForLogAsync("Web listener on", Soon);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        var token = File.ReadAllText(tokenFile).Trim();
        var metrics = $"http://127.0.0.1:{port}/metrics";
        for (var i = 0; i < 3; i++)
        {
            await SshServer.FailLoginAsync(env.Attacker, env.ServerForAttacker);
        }

        await Eventually.TrueAsync(
            async () => (await env.BannedSetAsync()).Contains(env.AttackerAddress, StringComparison.Ordinal),
            Soon,
            $"attacker banned. Warden log:\n{warden.Log}");

        // The counters are published at the engine's next flush, right after the ban.
        Exposition text = null!;
        await Eventually.TrueAsync(
            async () =>
            {
                var scraped = await env.Server.RunAsync("curl", ["-sS", "--fail", "-H", $"Authorization: Bearer {token}", metrics]);
                text = Exposition.Parse(scraped.EnsureSuccess().StdOut);
                return text.Find("warden_bans_total", "jail=sshd").Any(s => s.Value >= 1);
            },
            Soon,
            "warden_bans_total for sshd on /metrics");
        Assert.Equal(1, text.Value("warden_bans_total", "jail=sshd", "origin=log", "mode=enforce"));
        Assert.Equal(3, text.Value("warden_failures_total", "jail=sshd"));
        Assert.True(text.Value("warden_lines_matched_total", "jail=sshd") >= 3);
        Assert.Equal(1, text.Value("warden_bans_in_force", "jail=sshd"));
        Assert.Equal(1, text.Value("warden_ban_latency_seconds_count", "jail=sshd"));
        Assert.True(text.Value("warden_source_lines_read_total", $"source=file:{env.LogPath}") >= 3);
        Assert.Equal(1, text.Value("warden_build_info", "aot=true"));
        Assert.True(text.Find("warden_firewall_applies_total", "firewall=nftables").Single().Value >= 1);
        var labels = text.Samples.SelectMany(s => s.Labels.Values).ToList();
        Assert.DoesNotContain(labels, v => v.Contains(env.AttackerAddress, StringComparison.Ordinal));

        // The banned attacker tries again: its dropped SYNs appear in the counters of Warden's own rule.
        Assert.False(await env.Attacker.CanConnectAsync(env.ServerForAttacker, 22, TimeSpan.FromSeconds(1)));
        await Eventually.TrueAsync(
            async () =>
            {
                var scraped = await env.Server.RunAsync("curl", ["-sS", "--fail", "-H", $"Authorization: Bearer {token}", metrics]);
                text = Exposition.Parse(scraped.EnsureSuccess().StdOut);
                return text.Find("warden_firewall_dropped_packets_total", "jail=sshd", "firewall=nftables").Any(s => s.Value >= 1);
            },
            Soon,
            "dropped packets of sshd's rule on /metrics");
        Assert.True(text.Value("warden_firewall_dropped_bytes_total", "jail=sshd") >= 40);

        var anonymous = await env.Server.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", metrics]);
        Assert.Equal("401", anonymous.StdOut);
        var wrong = await env.Server.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer not-the-token", metrics]);
        Assert.Equal("401", wrong.StdOut);

        using var prometheus = await PrometheusServer.StartAsync(env.Server, $"127.0.0.1:{port}", tokenFile);
        double? scrapedBans = null;
        await Eventually.TrueAsync(
            async () =>
            {
                scrapedBans = SshdBans(await prometheus.QueryAsync("warden_bans_total"));
                return scrapedBans >= 1;
            },
            TimeSpan.FromSeconds(60),
            $"Prometheus to answer warden_bans_total for sshd. Its log:\n{prometheus.Log}");
        Assert.Equal(1, scrapedBans);
        var up = await prometheus.QueryAsync("up{job=\"warden\"}");
        Assert.Contains("\"1\"]", up, StringComparison.Ordinal);

        Assert.Equal(0, await warden.StopAsync());
    }

    // {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[time,"1"]}]}}
    private static double? SshdBans(string answer)
    {
        using var doc = JsonDocument.Parse(answer);
        foreach (var series in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var metric = series.GetProperty("metric");
            if (metric.TryGetProperty("jail", out var jail) && jail.GetString() == "sshd" && metric.GetProperty("origin").GetString() == "log")
            {
                return double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
