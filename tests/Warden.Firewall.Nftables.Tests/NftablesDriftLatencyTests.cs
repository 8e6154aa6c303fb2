using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>
/// Drift repair through the real engine, timed: a foreign change must be undone within 2 s. In a
/// collection of its own that runs alone, so the other tests' processes do not skew the timing.
/// </summary>
[Collection(nameof(NftablesDriftLatencyTests))]
[CollectionDefinition(nameof(NftablesDriftLatencyTests), DisableParallelization = true)]
public sealed class NftablesDriftLatencyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Engine_NftFlushRuleset_WholeStateBackWithinTwoSeconds()
    {
        using var ns = NetworkNamespace.Create("nl");
        using var firewall = NftablesFirewall.Create(new NftablesOptions { NetworkNamespace = ns.Name }, TimeProvider.System, NullLogger.Instance);
        var stored = TestBans.Hosts(20_000).Select(a => TestBans.Of("sshd", a, Hour)).ToList();
        var log = new TestOutputLogger(output.WriteLine);
        await using var engine = await EngineHarness.StartOverAsync(firewall, "sshd", 22, stored, log);
        Assert.Equal(20_000, NftProbe.Elements(ns, "sshd_h4").Count);

        ns.Exec("nft", "flush", "ruleset");

        // The drift exists from the moment the command has returned.
        var watch = Stopwatch.StartNew();
        log.Log(LogLevel.Information, default, "nft flush ruleset done", null, (s, _) => s);
        while (!ns.Exec("nft", "list", "tables").Contains("table inet warden", StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        var repaired = watch.Elapsed;
        output.WriteLine($"drift repaired (20,000 bans) after {repaired.TotalMilliseconds:F0} ms");
        Assert.InRange(repaired, TimeSpan.Zero, TimeSpan.FromSeconds(2));

        // The table comes back in one transaction with every ban in it.
        Assert.Equal(20_000, NftProbe.Elements(ns, "sshd_h4").Count);
    }
}
