using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// The port-scan test network: a "server" namespace running Warden with a port-scan jail fed by
/// its own NFLOG logging rule, joined by veth pairs to a "scanner" (10.S.1.2) and a "client"
/// (10.S.2.2). Everything is created here and deleted on dispose.
/// </summary>
internal sealed class PortScanEnvironment : IDisposable
{
    private static int _next;

    /// <param name="maxPorts">The jail's maxports.</param>
    /// <param name="readFile">Read a firewall log file (<see cref="LogPath"/>) instead of Warden's own NFLOG rule.</param>
    public PortScanEnvironment(int maxPorts, bool readFile = false)
    {
        var s = 80 + Interlocked.Increment(ref _next);
        Net = $"10.{s}";
        Dir = new TempDirectory("warden-portscan");
        Server = NetworkNamespace.Create("pss");
        Scanner = NetworkNamespace.Create("psa");
        Client = NetworkNamespace.Create("psc");
        Server.Link(Scanner, $"{Net}.1.1/24", $"{Net}.1.2/24");
        Server.Link(Client, $"{Net}.2.1/24", $"{Net}.2.2/24");
        Net6 = $"fd00:{s}";
        AddIPv6(Server, $"{Net}.1.1", $"{Net6}:1::1/64");
        AddIPv6(Scanner, $"{Net}.1.2", $"{Net6}:1::2/64");
        AddIPv6(Server, $"{Net}.2.1", $"{Net6}:2::1/64");
        AddIPv6(Client, $"{Net}.2.2", $"{Net6}:2::2/64");
        ConfigDir = Path.Combine(Dir.Path, "etc");
        Dir.Write("etc/warden.conf", $"""
            [warden]
            firewall = nftables
            state = {Dir.File("state/warden.db")}

            [api]
            socket = {Dir.File("warden.sock")}
            """);
        LogPath = Dir.Write("log/pflog.txt", string.Empty);
        var input = readFile ? $"logpath = {LogPath}" : "nflog = 7\nlogrule = yes\nlogrule.rate = 1000";
        Dir.Write("etc/jail.local", $"""
            [portscan]
            enabled     = true
            filter      = portscan
            {input}
            maxports    = {maxPorts}
            findtime    = 1m
            bantime     = 10m
            """);
    }

    public string Net { get; }

    public string Net6 { get; }

    public TempDirectory Dir { get; }

    public NetworkNamespace Server { get; }

    public NetworkNamespace Scanner { get; }

    public NetworkNamespace Client { get; }

    public string ConfigDir { get; }

    public string LogPath { get; }

    public string ServerForScanner(bool v6) => v6 ? $"{Net6}:1::1" : $"{Net}.1.1";

    public string ServerForClient(bool v6) => v6 ? $"{Net6}:2::1" : $"{Net}.2.1";

    public string ScannerAddress(bool v6) => v6 ? $"{Net6}:1::2" : $"{Net}.1.2";

    public string ClientAddress(bool v6) => v6 ? $"{Net6}:2::2" : $"{Net}.2.2";

    /// <summary>A dual-stack TCP listener (IPv6 socket accepting IPv4 too) on <paramref name="port"/> in the server.</summary>
    public void Listen(int port) =>
        Server.Start("/usr/bin/python3", ["-c", "import socket,sys,time\ns=socket.socket(socket.AF_INET6)\ns.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0)\ns.bind(('::',int(sys.argv[1])))\ns.listen(128)\ntime.sleep(600)", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>Warden's table in the server's kernel, as nft lists it.</summary>
    public async Task<string> TableAsync() => (await Server.RunAsync("nft", ["list", "table", "inet", "warden"])).StdOut;

    // The veth that carries an IPv4 address gets an IPv6 one too (nodad: usable at once).
    private static void AddIPv6(NetworkNamespace ns, string v4, string v6)
    {
        var line = ns.Exec("ip", "-o", "-4", "addr", "show", "to", v4);
        var device = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Split('@')[0];
        ns.Exec("ip", "-6", "addr", "add", v6, "dev", device, "nodad");
    }

    public void Dispose()
    {
        Client.Dispose();
        Scanner.Dispose();
        Server.Dispose();
        Dir.Dispose();
    }
}
