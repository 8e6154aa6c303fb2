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

    public PortScanEnvironment(int maxPorts)
    {
        var s = 80 + Interlocked.Increment(ref _next);
        Net = $"10.{s}";
        Dir = new TempDirectory("warden-portscan");
        Server = NetworkNamespace.Create("pss");
        Scanner = NetworkNamespace.Create("psa");
        Client = NetworkNamespace.Create("psc");
        Server.Link(Scanner, $"{Net}.1.1/24", $"{Net}.1.2/24");
        Server.Link(Client, $"{Net}.2.1/24", $"{Net}.2.2/24");
        ConfigDir = Path.Combine(Dir.Path, "etc");
        Dir.Write("etc/warden.conf", $"""
            [warden]
            firewall = nftables
            state = {Dir.File("state/warden.db")}

            [api]
            socket = {Dir.File("warden.sock")}
            """);
        Dir.Write("etc/jail.local", $"""
            [portscan]
            enabled     = true
            filter      = portscan
            nflog       = 7
            logrule     = yes
            logrule.rate = 1000
            maxports    = {maxPorts}
            findtime    = 1m
            bantime     = 10m
            """);
    }

    public string Net { get; }

    public TempDirectory Dir { get; }

    public NetworkNamespace Server { get; }

    public NetworkNamespace Scanner { get; }

    public NetworkNamespace Client { get; }

    public string ConfigDir { get; }

    public string ServerForScanner => $"{Net}.1.1";

    public string ServerForClient => $"{Net}.2.1";

    public string ScannerAddress => $"{Net}.1.2";

    public string ClientAddress => $"{Net}.2.2";

    /// <summary>Warden's table in the server's kernel, as nft lists it.</summary>
    public async Task<string> TableAsync() => (await Server.RunAsync("nft", ["list", "table", "inet", "warden"])).StdOut;

    public void Dispose()
    {
        Client.Dispose();
        Scanner.Dispose();
        Server.Dispose();
        Dir.Dispose();
    }
}
