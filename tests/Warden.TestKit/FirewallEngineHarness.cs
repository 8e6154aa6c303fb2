using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Detection;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>
/// Runs the real engine against a real firewall backend with one jail, no log sources, and a
/// fake store that hands back a fixed list of bans: for drift-repair tests, where only the
/// engine's tick and the backend matter.
/// </summary>
public sealed class FirewallEngineHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private FirewallEngineHarness(Core.Engine.Engine engine)
    {
        Engine = engine;
        _run = engine.RunAsync(_stop.Token);
    }

    public Core.Engine.Engine Engine { get; }

    /// <summary>Starts the engine; returns once the stored bans are in the firewall.</summary>
    public static async Task<FirewallEngineHarness> StartAsync(IFirewall firewall, string jail, int port, IReadOnlyList<Ban> storedBans, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var policy = new JailPolicy(jail, 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty) { Ports = [new PortRange(port, port)] };
        var engine = new Core.Engine.Engine([new Jail(policy, new FakeSilentFilter())], [], firewall, new FakeFixedBansStore(storedBans), TimeProvider.System, logger ?? NullLogger.Instance);
        var harness = new FirewallEngineHarness(engine);
        await engine.Started;
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private sealed class FakeSilentFilter : ILineFilter
    {
        public void Process(string line, ICollection<Detection> detections)
        {
        }
    }

    private sealed class FakeFixedBansStore(IReadOnlyList<Ban> bans) : IStateStore
    {
        public Task<StoredState> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(new StoredState(bans, [], []));

        public Task CommitAsync(StateChanges changes, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
