using Warden.TestKit;
using Warden.Web.Metrics;

namespace Warden.Web.Tests.Metrics;

/// <summary>
/// The real engine bans an address read from a source; the exporter, listening to the Warden
/// meters as the daemon's does, then shows the jail's failures, matched lines and ban, the
/// bans in force, the source's lines and last-line time, and the firewall and store series.
/// Jail and source names are the test's own, since other tests' engines share the meters.
/// </summary>
public sealed class EngineMetricsTests
{
    [Fact]
    public async Task Collect_AfterEngineBansAnAddress_HasTheJailSourceFirewallAndStoreSeries()
    {
        var jailName = $"metrics-{Guid.NewGuid():N}"[..20];
        var sourceId = $"file:/var/log/{jailName}.log";
        using var exporter = new MetricsExporter();
        var firewall = new InMemoryFirewall();
        await using var engines = new EngineHarness(TimeProvider.System, firewall, new InMemoryStateStore());
        var source = new QueueLogSource(sourceId);
        var jail = EngineHarness.Jail(jailName, 22, new FakeLineFilter(TimeProvider.System));
        await engines.StartAsync(jail, source);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        source.Write(FakeLineFilter.Line("192.0.2.10"), "noise", FakeLineFilter.Line("192.0.2.10"), FakeLineFilter.Line("192.0.2.10"));

        Exposition text = null!;
        await Eventually.TrueAsync(() =>
        {
            text = Exposition.Parse(exporter.Collect());
            return text.Find("warden_bans_total", $"jail={jailName}").Any(s => s.Value >= 1) && text.Find("warden_ban_latency_seconds_count", $"jail={jailName}").Any();
        }, EngineHarness.Wait, "a ban in the metrics");
        Assert.Equal(1, text.Value("warden_bans_total", $"jail={jailName}", "origin=log", "mode=enforce"));
        Assert.Equal(3, text.Value("warden_failures_total", $"jail={jailName}"));
        Assert.Equal(3, text.Value("warden_lines_matched_total", $"jail={jailName}"));
        Assert.Equal(1, text.Value("warden_bans_in_force", $"jail={jailName}", "mode=enforce"));
        Assert.Equal(4, text.Value("warden_source_lines_read_total", $"source={sourceId}"));
        Assert.InRange(text.Value("warden_source_last_line_timestamp_seconds", $"source={sourceId}"), before - 1, before + 60);
        Assert.Equal(1, text.Value("warden_ban_latency_seconds_count", $"jail={jailName}"));
        Assert.True(text.Find("warden_firewall_apply_duration_seconds_count", "op=state").Any());
        Assert.True(text.Find("warden_store_commits_total").Single().Value >= 1);
        Assert.DoesNotContain("192.0.2.10", string.Join("\n", text.Samples.SelectMany(s => s.Labels.Values)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collect_ObservingJailAndRestart_MarksShadowBansAndCountsRestoredOnes()
    {
        var jailName = $"shadow-{Guid.NewGuid():N}"[..20];
        using var exporter = new MetricsExporter();
        var firewall = new InMemoryFirewall();
        var store = new InMemoryStateStore();
        var source = new QueueLogSource($"file:/var/log/{jailName}.log");
        await using (var first = new EngineHarness(TimeProvider.System, firewall, store))
        {
            await first.StartAsync(Observing(jailName), source);
            source.Write(FakeLineFilter.Line("192.0.2.20"), FakeLineFilter.Line("192.0.2.20"), FakeLineFilter.Line("192.0.2.20"));
            await Eventually.TrueAsync(() => Exposition.Parse(exporter.Collect()).Find("warden_bans_total", $"jail={jailName}").Any(s => s.Value >= 1), EngineHarness.Wait, "a would-ban in the metrics");
            var text = Exposition.Parse(exporter.Collect());
            Assert.Equal(1, text.Value("warden_bans_total", $"jail={jailName}", "origin=log", "mode=shadow"));
            Assert.Equal(1, text.Value("warden_bans_in_force", $"jail={jailName}", "mode=shadow"));
            Assert.Empty(text.Find("warden_ban_latency_seconds_count", $"jail={jailName}"));
        }

        Assert.Empty(Exposition.Parse(exporter.Collect()).Find("warden_bans_in_force", $"jail={jailName}"));
        await using var second = new EngineHarness(TimeProvider.System, firewall, store);
        await second.StartAsync(Observing(jailName), new QueueLogSource(source.Id));

        var again = Exposition.Parse(exporter.Collect());
        Assert.Equal(1, again.Value("warden_bans_total", $"jail={jailName}", "origin=restore", "mode=shadow"));
        Assert.Equal(1, again.Value("warden_bans_in_force", $"jail={jailName}"));
    }

    private static Core.Jails.Jail Observing(string name)
    {
        var jail = EngineHarness.Jail(name, 22, new FakeLineFilter(TimeProvider.System));
        return new Core.Jails.Jail(jail.Policy with { Observe = true }, new FakeLineFilter(TimeProvider.System));
    }
}
