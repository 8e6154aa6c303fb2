using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// The test network: a "server" namespace running real sshd and Warden, joined by veth
/// pairs to an "attacker" (10.W.1.2), a second attacker (10.W.3.2) and a "client" (10.W.2.2).
/// Everything is created here and deleted on dispose.
/// </summary>
internal sealed class SshdEnvironment : IDisposable
{
    private static int _next;

    public SshdEnvironment(TimeSpan bantime, int maxRetry = 3)
    {
        var w = 40 + Interlocked.Increment(ref _next);
        Net = $"10.{w}";
        Dir = new TempDirectory("warden-e2e");
        Server = NetworkNamespace.Create("srv");
        Attacker = NetworkNamespace.Create("att");
        Attacker2 = NetworkNamespace.Create("atb");
        Client = NetworkNamespace.Create("cli");
        Server.Link(Attacker, $"{Net}.1.1/24", $"{Net}.1.2/24");
        Server.Link(Client, $"{Net}.2.1/24", $"{Net}.2.2/24");
        Server.Link(Attacker2, $"{Net}.3.1/24", $"{Net}.3.2/24");
        LogPath = Dir.Write("log/auth.log", string.Empty);
        ConfigDir = Path.Combine(Dir.Path, "etc");
        StatePath = Dir.File("state/warden.db");
        Dir.Write("etc/warden.conf", $"""
            [warden]
            firewall = nftables
            state = {StatePath}

            [api]
            socket = {Dir.File("warden.sock")}
            """);
        Dir.Write("etc/jail.local", $"""
            [DEFAULT]
            ignoreip = 127.0.0.1/8 ::1

            [sshd]
            enabled  = true
            filter   = sshd
            port     = ssh
            logpath  = {LogPath}
            maxretry = {maxRetry}
            findtime = 10m
            bantime  = {(int)bantime.TotalSeconds}s

            # A broken jail: Warden must say why it is off and run the others.
            [broken]
            enabled  = true
            filter   = no-such-filter
            logpath  = {LogPath}
            """);
    }

    public string Net { get; }

    public TempDirectory Dir { get; }

    public NetworkNamespace Server { get; }

    public NetworkNamespace Attacker { get; }

    public NetworkNamespace Attacker2 { get; }

    public NetworkNamespace Client { get; }

    public string LogPath { get; }

    public string ConfigDir { get; }

    public string StatePath { get; }

    public string ServerForAttacker => $"{Net}.1.1";

    public string ServerForClient => $"{Net}.2.1";

    public string ServerForAttacker2 => $"{Net}.3.1";

    public string AttackerAddress => $"{Net}.1.2";

    public string Attacker2Address => $"{Net}.3.2";

    /// <summary>Elements of the jail's IPv4 set in the server's kernel, read with nft.</summary>
    public async Task<string> BannedSetAsync()
    {
        var result = await Server.RunAsync("nft", ["list", "table", "inet", "warden"]);
        return result.StdOut;
    }

    /// <summary>Failures Warden has stored for an address (read from its SQLite file).</summary>
    public async Task<int> StoredFailuresAsync(string address)
    {
        var result = await Proc.RunAsync("sqlite3", [StatePath, $"SELECT count(*) FROM failures WHERE address = '{address}'"]);
        return int.TryParse(result.StdOut.Trim(), out var n) ? n : -1;
    }

    public void Dispose()
    {
        Client.Dispose();
        Attacker2.Dispose();
        Attacker.Dispose();
        Server.Dispose();
        Dir.Dispose();
    }
}
