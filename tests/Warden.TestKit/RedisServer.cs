using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Warden.TestKit;

/// <summary>
/// Debian's real redis-server on 127.0.0.1 and a free port, its data in a temporary directory,
/// killed and deleted on dispose. <see cref="RestartAsync"/> stops it and starts it again on the
/// same port, with its data kept (a restart) or wiped (a Redis that lost everything).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("warden-redis");
    private readonly NetworkNamespace? _ns;
    private Process? _process;

    private RedisServer(int port, NetworkNamespace? ns = null)
    {
        Port = port;
        _ns = ns;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The URL for <c>[fleet] redis =</c>.</summary>
    public Uri Url => new($"redis://127.0.0.1:{Port}");

    /// <summary>Starts a server and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new RedisServer(port);
        await server.LaunchAsync();
        return server;
    }

    /// <summary>
    /// Starts a server inside <paramref name="ns"/> (the fleet's Redis host of an end-to-end test),
    /// listening on every address of the namespace on port 6379, and waits until it answers PING.
    /// </summary>
    public static async Task<RedisServer> StartInAsync(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var server = new RedisServer(6379, ns);
        await server.LaunchAsync();
        return server;
    }

    /// <summary>Runs redis-cli against the server (inside its namespace, when it runs in one).</summary>
    public Task<ProcessResult> CliAsync(params string[] args)
    {
        string[] all = ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args];
        return _ns is null ? Proc.RunAsync("/usr/bin/redis-cli", all) : _ns.RunAsync("/usr/bin/redis-cli", all);
    }

    /// <summary>Stops the server (SIGKILL) and starts it again on the same port; <paramref name="wipe"/> deletes its data first.</summary>
    public async Task RestartAsync(bool wipe)
    {
        Kill();
        if (wipe)
        {
            // Redis 7 keeps its append-only files in a subdirectory.
            foreach (var entry in new DirectoryInfo(_dir.Path).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        await LaunchAsync();
    }

    /// <summary>Stops the server (SIGKILL); it stays down until <see cref="RestartAsync"/>.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Kill();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task LaunchAsync()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // appendonly with fsync always: a kill loses nothing, as a real restart would not.
        string[] server = ["/usr/bin/redis-server"];
        if (_ns is not null)
        {
            // ip netns exec execs the server: the process started is redis-server itself.
            server = ["ip", "netns", "exec", _ns.Name, .. server];
        }

        _process = Process.Start(Proc.Start(server[0], [.. server.Skip(1),
            "--port", port, "--bind", _ns is null ? "127.0.0.1" : "0.0.0.0", "--dir", _dir.Path, "--save", "", "--appendonly", "yes",
            "--appendfsync", "always", "--protected-mode", "no", "--daemonize", "no", "--logfile", _dir.File("redis.log"),
        ])) ?? throw new InvalidOperationException("redis-server did not start");
        await Eventually.TrueAsync(async () => (await CliAsync("PING")).StdOut.Trim() == "PONG", TimeSpan.FromSeconds(10), $"redis-server answering on port {port}");
    }
}
