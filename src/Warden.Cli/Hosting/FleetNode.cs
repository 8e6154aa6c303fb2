using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Warden.Core.Engine;
using Warden.Core.Fleet;
using Warden.Fleet.Redis;

namespace Warden.Cli.Hosting;

/// <summary>
/// This host's membership of the fleet for the whole process: its key, the trusted peers, the
/// Redis bus, the counters and the outbox of own decisions, which all outlive reloads (sequence
/// numbers keep growing, queued decisions are kept); each engine generation gets its own
/// <see cref="FleetLink"/>. Opening never waits for Redis: an unreachable one is retried in the
/// background while the host bans locally.
/// </summary>
internal sealed partial class FleetNode : IAsyncDisposable
{
    private readonly FleetSettings _settings;
    private readonly FleetSigner _signer;
    private readonly PeerKeys _peers;
    private readonly RedisFleetBus _bus;
    private readonly FleetStats _stats = new();
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private FleetLink? _link;

    private FleetNode(FleetSettings settings, FleetSigner signer, PeerKeys peers, RedisFleetBus bus, TimeProvider time, ILogger log)
    {
        _settings = settings;
        _signer = signer;
        _peers = peers;
        _bus = bus;
        _time = time;
        _log = log;
        Outbox = new FleetOutbox(settings.Node, settings.Share, settings.Queue);
    }

    /// <summary>Own decisions waiting to be published: the engine's outbound sink.</summary>
    public FleetOutbox Outbox { get; }

    /// <summary>
    /// Reads the key, the peers' keys and the password, and starts connecting; <c>null</c> (logged)
    /// when a file cannot be used: the host then runs without the fleet.
    /// </summary>
    public static async Task<FleetNode?> OpenAsync(FleetSettings? settings, TimeProvider time, ILoggerFactory logs)
    {
        if (settings is null)
        {
            return null;
        }

        var log = logs.CreateLogger("Warden.Fleet");
        FleetSigner? signer = null;
        PeerKeys? peers = null;
        try
        {
            signer = new FleetSigner(settings.Node, FleetKeys.ImportPrivate(await File.ReadAllTextAsync(settings.KeyFile), settings.KeyFile));
            peers = ReadPeers(settings.PeersDir);
            var password = settings.PasswordFile is { } file ? (await File.ReadAllTextAsync(file)).Trim() : null;
            var bus = await RedisFleetBus.ConnectAsync(
                new RedisFleetOptions { Url = settings.Redis, Node = settings.Node, User = settings.User, Password = password, Retention = settings.MaxBanTime },
                time);
            Log.Opened(log, settings.Node, $"{settings.Redis.Scheme}://{settings.Redis.Authority}", peers.Names.Count(n => n != settings.Node), settings.PeersDir);
            return new FleetNode(settings, signer, peers, bus, time, log);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            Log.Off(log, $"{settings.Place.File}:{settings.Place.Line}", ex.Message);
            signer?.Dispose();
            peers?.Dispose();
            return null;
        }
    }

    /// <summary>Fleet entries published, applied or dropped so far (<see cref="FleetStats.Handled"/>), across reloads.</summary>
    public long Handled => _stats.Handled;

    /// <summary>The fleet as it stands (the running generation's link, or the counters between two).</summary>
    public FleetStatus Status() => _link?.Status() ?? new FleetStatus(_settings.Node, _bus.IsConnected, null, null, Outbox.Count, _stats.Published, _stats.Applied, _stats.Rejected, [], []);

    /// <summary>Runs the fleet for <paramref name="engine"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(BanEngine engine, CancellationToken cancellationToken)
    {
        var policy = new FleetPolicyOptions
        {
            Node = _settings.Node,
            Accept = _settings.Accept,
            MaxPrefix4 = _settings.MaxPrefix4,
            MaxPrefix6 = _settings.MaxPrefix6,
            MaxBanTime = _settings.MaxBanTime,
        };
        var link = new FleetLink(engine, _bus, _signer, _peers, policy, _stats, Outbox, new FleetLinkOptions { Republish = _settings.Republish }, _time, _log);
        _link = link;
        return link.RunAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _bus.DisposeAsync();
        _signer.Dispose();
        _peers.Dispose();
    }

    // peers_dir/NAME.pub, one per trusted node (this node's own may be there too: its entries are never applied).
    private static PeerKeys ReadPeers(string directory)
    {
        var keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*.pub").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                if (!DecisionText.IsName(name))
                {
                    throw new FormatException($"{path}: '{name}' is not a node name");
                }

                keys[name] = FleetKeys.ImportPublic(File.ReadAllText(path), path);
            }

            return new PeerKeys(keys);
        }
        catch
        {
            foreach (var key in keys.Values)
            {
                key.Dispose();
            }

            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(70, LogLevel.Information, "Fleet: node {Node} sharing through {Redis}, trusting {Peers} peers of {PeersDir}")]
        public static partial void Opened(ILogger logger, string node, string redis, int peers, string peersDir);

        [LoggerMessage(71, LogLevel.Error, "{Place}: [fleet] {Error}; ban sharing is off, the host bans on its own")]
        public static partial void Off(ILogger logger, string place, string error);
    }
}
