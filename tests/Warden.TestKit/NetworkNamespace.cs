using System.Diagnostics;

namespace Warden.TestKit;

/// <summary>
/// A network namespace a test creates and deletes, so firewall and network tests never touch the
/// machine's own (root namespace) firewall. Processes started in it are killed on dispose.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private static int _counter;
    private readonly List<Process> _processes = [];

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace name (as <c>ip netns</c> knows it).</summary>
    public string Name { get; }

    /// <summary>Creates a namespace with a unique name and its loopback up.</summary>
    public static NetworkNamespace Create(string tag)
    {
        // Short names: veth interface names derived from them must fit IFNAMSIZ (15 chars).
        var id = Interlocked.Increment(ref _counter);
        var name = $"w{tag}{Environment.ProcessId % 10000}x{id}";
        Run("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        ns.Exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>
    /// Joins two namespaces with a veth pair: <paramref name="address"/> (CIDR, e.g. 10.9.1.1/24)
    /// on this side, <paramref name="peerAddress"/> on the other.
    /// </summary>
    public void Link(NetworkNamespace peer, string address, string peerAddress)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var id = Interlocked.Increment(ref _counter);
        var a = $"va{Environment.ProcessId % 10000}x{id}";
        var b = $"vb{Environment.ProcessId % 10000}x{id}";
        Run("ip", "link", "add", a, "netns", Name, "type", "veth", "peer", "name", b, "netns", peer.Name);
        Exec("ip", "addr", "add", address, "dev", a);
        Exec("ip", "link", "set", a, "up");
        peer.Exec("ip", "addr", "add", peerAddress, "dev", b);
        peer.Exec("ip", "link", "set", b, "up");
    }

    /// <summary>Runs a command inside the namespace and returns its result (not checked).</summary>
    public Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null) =>
        Proc.RunAsync("ip", new[] { "netns", "exec", Name, file }.Concat(args), timeout, stdin);

    /// <summary>Runs a command inside the namespace; throws unless it exits 0.</summary>
    public string Exec(string file, params string[] args) =>
        RunAsync(file, args).GetAwaiter().GetResult().EnsureSuccess().StdOut;

    /// <summary>Starts a long-running process inside the namespace; it is killed on dispose.</summary>
    public Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var process = Process.Start(Proc.Start("ip", new[] { "netns", "exec", Name, file }.Concat(args), env))
            ?? throw new InvalidOperationException($"cannot start {file} in {Name}");
        _processes.Add(process);
        return process;
    }

    /// <summary>A TCP port on 127.0.0.1 that is free in this namespace (the kernel's pick, released again for the caller to bind).</summary>
    public async Task<int> FreePortAsync()
    {
        var result = await RunAsync("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"]);
        return int.Parse(result.EnsureSuccess().StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Opens a TCP connection from inside this namespace; true when it is accepted within the timeout.</summary>
    public async Task<bool> CanConnectAsync(string address, int port, TimeSpan? timeout = null)
    {
        // bash's /dev/tcp opens a plain connect(); timeout(1) bounds a dropped SYN.
        var seconds = (timeout ?? TimeSpan.FromSeconds(2)).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await RunAsync("timeout", [seconds, "bash", "-c", $"exec 3<>/dev/tcp/{address}/{port}"]);
        return result.ExitCode == 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var process in _processes)
        {
            Proc.KillAndDispose(process);
        }

        // Anything else still running in the namespace (daemons that forked) goes too.
        var pids = Proc.RunAsync("ip", ["netns", "pids", Name]).GetAwaiter().GetResult().StdOut;
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            _ = Proc.RunAsync("kill", ["-9", pid.Trim()]).GetAwaiter().GetResult();
        }

        _ = Proc.RunAsync("ip", ["netns", "del", Name]).GetAwaiter().GetResult();
    }

    private static void Run(string file, params string[] args) =>
        Proc.RunAsync(file, args).GetAwaiter().GetResult().EnsureSuccess();
}
