using System.Diagnostics;
using System.Text;

namespace Warden.TestKit;

/// <summary>
/// Debian's real Prometheus server inside a namespace, on its loopback and a free port, scraping
/// one target every second with a bearer token read from a file (<c>authorization:
/// credentials_file</c>), its configuration and TSDB in a temporary directory. Dispose kills it
/// and deletes the directory, also when the test failed.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    /// <summary>Where Debian installs it.</summary>
    public const string Program = "/usr/bin/prometheus";

    private readonly NetworkNamespace _ns;
    private readonly TempDirectory _dir;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PrometheusServer(NetworkNamespace ns, TempDirectory dir, Process process, int port)
    {
        _ns = ns;
        _dir = dir;
        _process = process;
        Port = port;
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    /// <summary>The port of its HTTP API, on 127.0.0.1 of the namespace.</summary>
    public int Port { get; }

    /// <summary>What it logged so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts it scraping <paramref name="target"/> (HOST:PORT, path /metrics) and waits until it is ready.</summary>
    /// <param name="ns">The namespace it runs in (the target's, to reach its loopback).</param>
    /// <param name="target">The scrape target.</param>
    /// <param name="tokenFile">The file holding the bearer token it sends.</param>
    public static async Task<PrometheusServer> StartAsync(NetworkNamespace ns, string target, string tokenFile)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var dir = new TempDirectory("warden-prometheus");
        try
        {
            var port = await ns.FreePortAsync();
            var config = dir.Write("prometheus.yml", $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: warden
                    authorization:
                      credentials_file: {tokenFile}
                    static_configs:
                      - targets: ["{target}"]
                """);
            var process = ns.Start(Program,
            [
                $"--config.file={config}", $"--storage.tsdb.path={dir.File("data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            ]);
            var server = new PrometheusServer(ns, dir, process, port);
            try
            {
                await Eventually.TrueAsync(
                    async () => (await server.GetAsync("/-/ready")).ExitCode == 0,
                    TimeSpan.FromSeconds(30),
                    $"prometheus ready on port {port}");
            }
            catch
            {
                server.Dispose();
                throw;
            }

            return server;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>An instant query of the HTTP API (<c>/api/v1/query</c>); the JSON answer.</summary>
    public async Task<string> QueryAsync(string promql)
    {
        var result = await _ns.RunAsync("curl", ["-sS", "--fail", "-G", "--data-urlencode", $"query={promql}", $"http://127.0.0.1:{Port}/api/v1/query"], TimeSpan.FromSeconds(10));
        return result.EnsureSuccess().StdOut;
    }

    /// <summary>Asks its HTTP API for <paramref name="path"/> with curl inside the namespace (exit 0 for a 2xx answer).</summary>
    public Task<ProcessResult> GetAsync(string path) =>
        _ns.RunAsync("curl", ["-sS", "--fail", $"http://127.0.0.1:{Port}{path}"], TimeSpan.FromSeconds(10));

    /// <inheritdoc />
    public void Dispose()
    {
        Proc.KillAndDispose(_process);
        _dir.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Append(line).Append('\n');
        }
    }
}
