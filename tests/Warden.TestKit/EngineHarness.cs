using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>
/// Runs the real engine over the given firewall and store, as many times as a test starts it
/// (a restart is a second start over the same store), and stops every run on dispose, failing
/// the test when a run does not stop within <see cref="Wait"/>.
/// </summary>
public sealed class EngineHarness(TimeProvider time, IFirewall firewall, IStateStore store) : IAsyncDisposable
{
    /// <summary>How long a test waits for the engine to start, stop or do what it asked.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly List<(CancellationTokenSource Stop, Task Run)> _running = [];

    /// <summary>The firewall's drift check, when the test wants one.</summary>
    public IFirewallMonitor? Monitor { get; init; }

    /// <summary>The ban history for escalation; <c>null</c> for none.</summary>
    public IBanHistory? History { get; init; }

    /// <summary>The ban history with evidence, for <see cref="BanEngine.ShowAsync"/>; <c>null</c> for none.</summary>
    public IEvidenceStore? Evidence { get; init; }

    /// <summary>The engine's outbound decision feed (the fleet's outbox); <c>null</c> for none.</summary>
    public Core.Policy.IDecisionSink? Outbound { get; init; }

    /// <summary>Where the engine logs.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>A jail with the usual test policy (3 failures in 10 minutes, banned for an hour) on one port.</summary>
    public static Jail Jail(string name, int port, Core.Detections.ILineFilter filter) =>
        new(new JailPolicy(name, 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty) { Ports = [new PortRange(port, port)] }, filter);

    /// <summary>
    /// Starts an engine over a real backend, with one jail on <paramref name="port"/>, no log
    /// source, and a store holding <paramref name="storedBans"/>: for drift tests, where only the
    /// engine's tick and the backend matter. Returns once the bans are in the firewall.
    /// </summary>
    public static async Task<EngineHarness> StartOverAsync<T>(T firewall, string jail, int port, IReadOnlyList<Ban> storedBans, ILogger? logger = null)
        where T : IFirewall, IFirewallMonitor
    {
        var harness = new EngineHarness(TimeProvider.System, firewall, InMemoryStateStore.Holding(storedBans)) { Monitor = firewall, Logger = logger ?? NullLogger.Instance };
        await harness.StartAsync([Jail(jail, port, new FakeLineFilter(TimeProvider.System))], []);
        return harness;
    }

    /// <summary>Starts an engine with one jail reading one source; returns once stored bans are in the firewall.</summary>
    public Task<BanEngine> StartAsync(Jail jail, ILogSource source, EngineOptions? options = null) =>
        StartAsync([jail], [new SourceBinding(source, [jail])], options);

    /// <summary>Starts an engine; returns once stored bans are in the firewall and the sources are read.</summary>
    public async Task<BanEngine> StartAsync(IReadOnlyList<Jail> jails, IReadOnlyList<SourceBinding> sources, EngineOptions? options = null)
    {
        var engine = new BanEngine(jails, sources, firewall, Monitor, store, History, time, Logger, options, Evidence, Outbound);
        var stop = new CancellationTokenSource();
        _running.Add((stop, engine.RunAsync(stop.Token)));
        await engine.Started.WaitAsync(Wait);
        return engine;
    }

    /// <summary>Stops every engine started, each after its last commit.</summary>
    public async Task StopAllAsync()
    {
        foreach (var (stop, run) in _running)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Wait);
            stop.Dispose();
        }

        _running.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAllAsync();
}
