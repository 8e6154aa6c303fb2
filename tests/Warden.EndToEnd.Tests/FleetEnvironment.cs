using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// The fleet of the end-to-end tests: three Warden hosts (a, b, c) and Debian's real
/// redis-server on a fourth host, each in its own network namespace joined to the Redis host by
/// a veth pair (host N is 10.9.N.2, Redis 10.9.N.1 on its side), keys made by
/// <c>warden fleet keygen</c>. Everything is created here and deleted on dispose, also when the
/// start fails half-way.
/// </summary>
internal sealed partial class FleetEnvironment : IAsyncDisposable
{
    /// <summary>How long a test waits for what should happen in well under a second.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    public static readonly string[] Names = ["a", "b", "c"];

    private readonly NetworkNamespace _redisHost = NetworkNamespace.Create("fr");
    private readonly Dictionary<string, NetworkNamespace> _hosts = [];
    private readonly Dictionary<string, WardenProcess> _wardens = [];
    private RedisServer? _redis;

    private FleetEnvironment()
    {
    }

    public TempDirectory Dir { get; } = new("warden-fleet");

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("no Redis");

    /// <summary>
    /// Starts Redis and the three hosts and waits until each is connected to the fleet.
    /// <paramref name="republish"/> is <c>[fleet] republish</c> (omitted: the default).
    /// </summary>
    public static async Task<FleetEnvironment> StartAsync(string? republish = null)
    {
        var fleet = new FleetEnvironment();
        try
        {
            await fleet.SetUpAsync(republish);
            return fleet;
        }
        catch
        {
            // Nothing of a half-made fleet is left behind, whatever xunit does after a failed start.
            await fleet.DisposeAsync();
            throw;
        }
    }

    public NetworkNamespace Host(string name) => _hosts[name];

    public WardenProcess Warden(string name) => _wardens[name];

    public string Socket(string host) => Dir.File($"run/{host}.sock");

    /// <summary>Every host's log, for a failure message.</summary>
    public string Logs() => string.Join("\n", _wardens.Select(w => $"--- log of {w.Key}:\n{w.Value.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var warden in _wardens.Values)
        {
            warden.Dispose();
        }

        _wardens.Clear();
        foreach (var host in _hosts.Values)
        {
            host.Dispose();
        }

        _hosts.Clear();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
            _redis = null;
        }

        // The partition rules live in the Redis host's namespace and go with it.
        _redisHost.Dispose();
        Dir.Dispose();
    }

    /// <summary>Starts <paramref name="name"/>'s daemon (again, after <see cref="KillAsync"/>) and waits until it says it started.</summary>
    public async Task StartWardenAsync(string name)
    {
        _wardens[name] = await WardenProcess.StartAsync(_hosts[name], Dir.File("etc-" + name));
    }

    /// <summary>SIGKILLs <paramref name="name"/>'s daemon: no shutdown of any kind.</summary>
    public async Task KillAsync(string name)
    {
        var warden = _wardens[name];
        _wardens.Remove(name);
        await warden.StopAsync("KILL");
        warden.Dispose();
    }

    /// <summary>
    /// Cuts <paramref name="name"/> off from Redis: an nftables table in the Redis host's namespace
    /// drops every packet from and to the host's address (the TCP connection stays open on both
    /// sides, as behind a failed link). <see cref="HealAsync"/> deletes the table.
    /// </summary>
    public async Task CutAsync(string name)
    {
        var address = HostAddress(name);
        var table = "cut_" + name;
        (await _redisHost.RunAsync("nft", ["-f", "-"], stdin: $$"""
            table inet {{table}} {
              chain in { type filter hook input priority -10; policy accept; ip saddr {{address}} drop; }
              chain out { type filter hook output priority -10; policy accept; ip daddr {{address}} drop; }
            }
            """)).EnsureSuccess();
    }

    /// <summary>Lifts <see cref="CutAsync"/>.</summary>
    public async Task HealAsync(string name)
    {
        (await _redisHost.RunAsync("nft", ["delete", "table", "inet", "cut_" + name])).EnsureSuccess();
    }

    /// <summary>
    /// Bans each of <paramref name="targets"/> in jail sshd on <paramref name="host"/> for an hour
    /// through its admin API (POST /api/bans on the unix socket, as <c>warden ban</c> does), a few
    /// at a time; <paramref name="banned"/> is called after each one.
    /// </summary>
    public async Task BanAsync(string host, IReadOnlyList<string> targets, Action? banned = null, int parallel = 4)
    {
        var path = Socket(host);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(unix, ownsSocket: true);
                }
                catch
                {
                    unix.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = new Uri("http://warden/") };
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (target, ct) =>
        {
            using var response = await http.PostAsJsonAsync("api/bans", new { jail = "sshd", target, duration = 3600 }, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"ban of {target} on {host}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }

            banned?.Invoke();
        });
    }

    /// <summary>The jail sshd's IPv4 addresses in <paramref name="host"/>'s kernel set (none when the table is missing).</summary>
    public async Task<HashSet<string>> SetAsync(string host)
    {
        var listing = (await _hosts[host].RunAsync("nft", ["list", "set", "inet", "warden", "sshd_h4"])).StdOut;
        var elements = listing.IndexOf("elements", StringComparison.Ordinal);
        return elements < 0 ? [] : [.. Address().Matches(listing[elements..]).Select(m => m.Value)];
    }

    /// <summary>Waits until every one of <paramref name="hosts"/> has (or has not) every address in its set.</summary>
    public async Task InSetsAsync(IReadOnlyCollection<string> addresses, bool present, TimeSpan timeout, params string[] hosts)
    {
        foreach (var host in hosts)
        {
            var held = 0;
            await Eventually.TrueAsync(
                async () =>
                {
                    var set = await SetAsync(host);
                    held = set.Intersect(addresses).Count();
                    return present ? held == addresses.Count : held == 0;
                },
                timeout,
                () => $"{addresses.Count} addresses {(present ? "in" : "out of")} {host}'s set (it had {held} of them).\n{Logs()}");
        }
    }

    /// <summary>The fleet part of <c>warden status --json</c>; a daemon that does not answer shows as disconnected.</summary>
    public async Task<JsonElement> FleetAsync(string host)
    {
        var result = await Cli("status", "--json", "--socket", Socket(host));
        if (result.ExitCode != 0)
        {
            return JsonDocument.Parse("""{"connected":false,"dropped":[],"peers":[],"rejected":0,"queued":0}""").RootElement;
        }

        return JsonDocument.Parse(result.StdOut).RootElement.GetProperty("fleet");
    }

    public static long Dropped(JsonElement fleet, string reason) =>
        fleet.GetProperty("dropped").EnumerateArray().Where(d => d.GetProperty("reason").GetString() == reason).Select(d => d.GetProperty("count").GetInt64()).SingleOrDefault();

    /// <summary>Waits until <paramref name="host"/>'s status says it is (or is not) connected to the fleet.</summary>
    public Task ConnectedAsync(string host, bool connected, TimeSpan timeout) =>
        Eventually.TrueAsync(async () => (await FleetAsync(host)).GetProperty("connected").GetBoolean() == connected, timeout, () => $"{host} {(connected ? "" : "dis")}connected.\n{Logs()}");

    public static Task<ProcessResult> Cli(params string[] args) => Proc.RunAsync(WardenBinary.Path, args);

    private static string HostAddress(string name) => $"10.9.{Array.IndexOf(Names, name) + 1}.2";

    private async Task SetUpAsync(string? republish)
    {
        _redis = await RedisServer.StartInAsync(_redisHost);
        var peers = Dir.File("peers");
        for (var i = 0; i < Names.Length; i++)
        {
            var name = Names[i];
            var host = NetworkNamespace.Create("f" + name);
            _hosts[name] = host;
            _redisHost.Link(host, $"10.9.{i + 1}.1/24", $"10.9.{i + 1}.2/24");
            var keys = Dir.File("keys/" + name);
            (await Proc.RunAsync(WardenBinary.Path, ["fleet", "keygen", name, "--dir", keys])).EnsureSuccess();
            Directory.CreateDirectory(peers);
            File.Copy(Path.Combine(keys, name + ".pub"), Path.Combine(peers, name + ".pub"));
        }

        foreach (var (name, i) in Names.Select((n, i) => (n, i)))
        {
            var etc = "etc-" + name;
            Dir.Write($"log/{name}.log", string.Empty);
            Dir.Write($"{etc}/warden.conf", $"""
                [warden]
                firewall = nftables
                state = {Dir.File($"state/{name}.db")}
                [api]
                socket = {Socket(name)}
                [fleet]
                redis = redis://10.9.{i + 1}.1:6379
                node = {name}
                key_file = {Dir.File($"keys/{name}/{name}.key")}
                peers_dir = {peers}
                {(republish is null ? "" : "republish = " + republish)}
                """);
            Dir.Write($"{etc}/jail.local", $"""
                [sshd]
                enabled = true
                port = ssh
                maxretry = 3
                logpath = {Dir.File($"log/{name}.log")}
                {(name == "c" ? "ignoreip = 127.0.0.1/8 ::1 192.0.2.200" : "")}
                """);
        }

        foreach (var name in Names)
        {
            await StartWardenAsync(name);
        }

        foreach (var name in Names)
        {
            await ConnectedAsync(name, connected: true, Soon);
        }
    }

    [GeneratedRegex(@"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex Address();
}
