using System.Globalization;
using System.Text.RegularExpressions;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// One namespace for <see cref="CrashChaosTests"/>: Warden's nftables table lives only there, its
/// config, state and log in a temp directory; all deleted on dispose. Reads bans back from the
/// kernel (nft) and from the SQLite file (sqlite3).
/// </summary>
internal sealed partial class ChaosEnvironment : IDisposable
{
    public ChaosEnvironment()
    {
        Dir = new TempDirectory("warden-chaos");
        Server = NetworkNamespace.Create("cha");
        Directory.CreateDirectory(Dir.File("log"));
        LogPath = Dir.File("log/auth.log");
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
            [sshd]
            enabled  = true
            filter   = sshd
            port     = ssh
            logpath  = {LogPath}
            maxretry = 3
            findtime = 1h
            bantime  = 1h
            """);
        LogrotateConfig = Dir.Write("logrotate.conf", $"{LogPath} {{\n    rotate 5\n    copytruncate\n    compress\n    delaycompress\n    missingok\n}}\n");
    }

    public TempDirectory Dir { get; }

    public NetworkNamespace Server { get; }

    public string LogPath { get; }

    public string ConfigDir { get; }

    public string StatePath { get; }

    public string LogrotateConfig { get; }

    /// <summary>Debian's logrotate, forced, with its own state file.</summary>
    public async Task LogrotateAsync() =>
        (await Proc.RunAsync("logrotate", ["-f", "-s", Dir.File("logrotate.state"), LogrotateConfig])).EnsureSuccess();

    /// <summary>The test's addresses (10.20x.*) in Warden's table, read with nft in the namespace.</summary>
    public async Task<HashSet<string>> KernelBansAsync()
    {
        var result = await Server.RunAsync("nft", ["list", "table", "inet", "warden"]);
        return [.. Address().Matches(result.StdOut).Select(m => m.Value).Where(a => a.StartsWith("10.20", StringComparison.Ordinal))];
    }

    /// <summary>Open bans in the store: address -> (records, failures of the last).</summary>
    public async Task<Dictionary<string, (int Records, int Failures)>> StoredBansAsync()
    {
        var rows = await QueryAsync("SELECT target, count(*), max(failures) FROM bans WHERE jail = 'sshd' AND lifted IS NULL GROUP BY target");
        return rows.ToDictionary(r => r[0].Replace("/32", string.Empty, StringComparison.Ordinal), r => (Parse(r[1]), Parse(r[2])));
    }

    /// <summary>Stored failures per address.</summary>
    public async Task<Dictionary<string, int>> StoredFailuresAsync()
    {
        var rows = await QueryAsync("SELECT address, count(*) FROM failures WHERE jail = 'sshd' GROUP BY address");
        return rows.ToDictionary(r => r[0], r => Parse(r[1]));
    }

    /// <summary>For a failure's diagnosis: the store's ban and failure rows of one address.</summary>
    public async Task<string> RowsAsync(string address)
    {
        var bans = await QueryAsync($"SELECT 'ban', id, start, expires, origin, failures, lifted, observed FROM bans WHERE target LIKE '{address}%'");
        var failures = await QueryAsync($"SELECT 'failure', time, attempts FROM failures WHERE address = '{address}'");
        return string.Join("; ", bans.Concat(failures).Select(r => string.Join('|', r)));
    }

    public void Dispose()
    {
        Server.Dispose();
        Dir.Dispose();
    }

    private static int Parse(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex Address();

    private async Task<List<string[]>> QueryAsync(string sql)
    {
        if (!File.Exists(StatePath))
        {
            return [];
        }

        var result = await Proc.RunAsync("sqlite3", ["-cmd", ".timeout 5000", StatePath, sql]);
        if (result.ExitCode != 0)
        {
            return [];
        }

        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|'))];
    }
}
