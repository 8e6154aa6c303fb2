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
    private Process? _process;

    private RedisServer(int port)
    {
        Port = port;
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

    /// <summary>Runs redis-cli against the server.</summary>
    public Task<ProcessResult> CliAsync(params string[] args) =>
        Proc.RunAsync("/usr/bin/redis-cli", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]);

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
        _process = Process.Start(Proc.Start("/usr/bin/redis-server",
        [
            "--port", port, "--bind", "127.0.0.1", "--dir", _dir.Path, "--save", "", "--appendonly", "yes",
            "--appendfsync", "always", "--protected-mode", "no", "--daemonize", "no", "--logfile", _dir.File("redis.log"),
        ])) ?? throw new InvalidOperationException("redis-server did not start");
        await Eventually.TrueAsync(async () => (await CliAsync("PING")).StdOut.Trim() == "PONG", TimeSpan.FromSeconds(10), $"redis-server answering on port {port}");
    }
}
