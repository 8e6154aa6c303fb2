using Warden.Core.Bans;
using Warden.Core.Engine;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Core.Tests;

public sealed class BanEngineDriftTests
{
    [Fact]
    public async Task RunAsync_MonitorReportsDrift_AppliesWholeStateAgain()
    {
        var firewall = new FakeMonitoredFirewall();
        await using var engines = new EngineHarness(TimeProvider.System, firewall, new InMemoryStateStore()) { Monitor = firewall };
        await engines.StartAsync([], [], new EngineOptions { TickInterval = TimeSpan.FromMilliseconds(50) });
        await Eventually.TrueAsync(() => firewall.Checks > 2, TimeSpan.FromSeconds(5), "the tick checks the firewall");
        Assert.Equal(1, firewall.Applies);

        firewall.Drift = "table vanished";

        await Eventually.TrueAsync(() => firewall.Applies == 2, TimeSpan.FromSeconds(5), "drift is repaired by a whole-state apply");
    }

    [Fact]
    public async Task RunAsync_MonitorSignalsChange_RepairsWithoutWaitingForTheTick()
    {
        var firewall = new FakeMonitoredFirewall();
        await using var engines = new EngineHarness(TimeProvider.System, firewall, new InMemoryStateStore()) { Monitor = firewall };
        await engines.StartAsync([], [], new EngineOptions { TickInterval = TimeSpan.FromHours(1) });

        firewall.Drift = "table vanished";
        firewall.Signal();

        await Eventually.TrueAsync(() => firewall.Applies == 2, TimeSpan.FromSeconds(5), "the signal triggers a check and a whole-state apply");
    }

    [Fact]
    public async Task FirewallRouterWhenChangedAsync_OneBackendSignals_Completes()
    {
        var quiet = new FakeMonitoredFirewall();
        var signalling = new FakeMonitoredFirewall();
        var router = new FirewallRouter([new FirewallRoute(quiet, ["a"]) { Monitor = quiet }, new FirewallRoute(signalling, ["b"]) { Monitor = signalling }]);

        var wait = router.WhenChangedAsync(default);
        Assert.False(wait.IsCompleted);
        signalling.Signal();

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private sealed class FakeMonitoredFirewall : IFirewall, IFirewallMonitor
    {
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _applies;
        private int _checks;

        public void Signal() => _changed.TrySetResult();

        public async Task WhenChangedAsync(CancellationToken cancellationToken)
        {
            await _changed.Task.WaitAsync(cancellationToken);
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public string? Drift { get; set; }

        public int Applies => Volatile.Read(ref _applies);

        public int Checks => Volatile.Read(ref _checks);

        public string Name => "fake";

        public bool ExpiresBans => true;

        public Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _applies);
            Drift = null;
            return Task.CompletedTask;
        }

        public Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RemoveAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<string?> CheckAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _checks);
            return Task.FromResult(Drift);
        }
    }
}
