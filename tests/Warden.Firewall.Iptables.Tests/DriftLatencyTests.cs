using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Firewall.Iptables.Tests;

/// <summary>
/// Drift repair through the real engine, timed: a foreign change must be undone within 2 s. In a
/// collection of its own that runs alone, so the other tests' processes do not skew the timing.
/// </summary>
[Collection(nameof(DriftLatencyTests))]
[CollectionDefinition(nameof(DriftLatencyTests), DisableParallelization = true)]
public sealed class DriftLatencyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData("iptables -F")]
    [InlineData("iptables -D INPUT -j WARDEN")]
    [InlineData("ipset flush warden-sshd-4")]
    public async Task Engine_ForeignFlush_WholeStateBackWithinTwoSeconds(string command)
    {
        using var ns = NetworkNamespace.Create("il");
        var firewall = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = ns.Name }, TimeProvider.System, NullLogger.Instance);
        var stored = TestBans.Hosts(2000).Select(a => TestBans.Of("sshd", a, Hour)).ToList();
        var log = new TestOutputLogger(output.WriteLine);
        await using var engine = await EngineHarness.StartOverAsync(firewall, "sshd", 22, stored, log);
        Assert.Null(await firewall.CheckAsync(default));

        log.Log(LogLevel.Information, default, "foreign change", null, (s, _) => s);
        var parts = command.Split(' ');
        ns.Exec(parts[0], parts[1..]);

        // The drift exists from the moment the command has returned.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(5)
            && !(ns.Exec("sh", "-c", "iptables -S; ipset list -t warden-sshd-4") is var state
                 && state.Contains("-A INPUT -j WARDEN", StringComparison.Ordinal)
                 && state.Contains("-A WARDEN ", StringComparison.Ordinal)
                 && state.Contains("Number of entries: 2000\n", StringComparison.Ordinal)))
        {
            await Task.Delay(20);
        }

        output.WriteLine($"'{command}' repaired after {watch.ElapsedMilliseconds} ms");
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Engine_DockerChainsDeletedAndRecreated_GuardAndBansBackWithinTwoSeconds()
    {
        using var docker = DockerLikeHost.Create(withVmBridge: true);
        var inner = IptablesFirewall.Create(new IptablesOptions { NetworkNamespace = docker.Host.Name }, TimeProvider.System, NullLogger.Instance);
        var guarded = ForwardGuard.Create(
            inner,
            inner,
            new ForwardGuardOptions { Interfaces = ["br0"], NetworkNamespace = docker.Host.Name },
            NullLogger.Instance);
        var log = new TestOutputLogger(output.WriteLine);
        await using var engine = await EngineHarness.StartOverAsync(guarded, "web", DockerLikeHost.PublishedPort, [TestBans.Of("web", DockerLikeHost.AttackerAddress, Hour)], log);
        await Eventually.TrueAsync(() => docker.Vm!.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort), TimeSpan.FromSeconds(10), "guard is in place");

        docker.DeleteDockerChains();
        docker.LoadDockerRules();

        // From the moment Docker's chains are back without Warden's jumps.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(5) && !docker.Host.Exec("iptables", "-S", "DOCKER-USER").Contains("-j WARDEN-FORWARD", StringComparison.Ordinal))
        {
            await Task.Delay(20);
        }

        var repaired = watch.Elapsed;
        output.WriteLine($"guard back after {repaired.TotalMilliseconds:F0} ms");
        Assert.InRange(repaired, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.True(await docker.Vm!.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort));
        Assert.False(await docker.Attacker.CanConnectAsync(DockerLikeHost.HostForAttacker, DockerLikeHost.PublishedPort, TimeSpan.FromSeconds(1)));
        Assert.True(await docker.Client.CanConnectAsync(DockerLikeHost.HostForClient, DockerLikeHost.PublishedPort));
    }
}
