using System.IO.Compression;
using System.Text.Json;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden replay</c> of the binary over a rotated sshd log (a .gz generation, a plain .1 and
/// the current file) with Debian's installed sshd filter: the bans, in order, at the lines' own
/// times, with their evidence; no state file is created.
/// </summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-replay");

    [Fact]
    public async Task Replay_RotatedLogWithStockSshdFilter_PrintsTheBansInOrderWithEvidence()
    {
        var config = WriteConfig();
        var log = Path.Combine(_dir.Path, "auth.log");
        // 192.0.2.10 fails twice in the oldest (compressed) generation and a third time in .1;
        // 192.0.2.20 twice in .1 and once in the current file; 192.0.2.10 again while banned.
        WriteGz(log + ".2.gz", Failed("10:00:00", "192.0.2.10"), Failed("10:00:10", "192.0.2.10"), Noise("10:00:11"));
        File.WriteAllLines(log + ".1", [Failed("10:00:20", "192.0.2.10"), Failed("10:01:00", "192.0.2.20"), Failed("10:01:30", "192.0.2.20")]);
        File.WriteAllLines(log, [Failed("10:02:00", "192.0.2.10"), Noise("10:02:01"), Failed("10:02:30", "192.0.2.20")]);

        var result = (await Proc.RunAsync(WardenBinary.Path, ["replay", "--config-dir", config, "--json"])).EnsureSuccess();

        using var json = JsonDocument.Parse(result.StdOut);
        var bans = json.RootElement.GetProperty("bans").EnumerateArray().ToList();
        Assert.Equal(["192.0.2.10", "192.0.2.20"], bans.Select(b => b.GetProperty("address").GetString()));
        Assert.Equal(["2026-11-01T10:00:20Z", "2026-11-01T10:02:30Z"], bans.Select(b => b.GetProperty("time").GetString()));
        Assert.All(bans, b => Assert.Equal(3600, b.GetProperty("bantime").GetInt64()));
        Assert.All(bans, b => Assert.Equal("sshd", b.GetProperty("jail").GetString()));
        var evidence = bans[0].GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("line").GetString()).ToList();
        Assert.Equal([Failed("10:00:00", "192.0.2.10"), Failed("10:00:10", "192.0.2.10"), Failed("10:00:20", "192.0.2.10")], evidence);
        var jail = Assert.Single(json.RootElement.GetProperty("jails").EnumerateArray());
        Assert.Equal(2, jail.GetProperty("bans").GetInt64());
        Assert.Equal(9, json.RootElement.GetProperty("lines").GetInt64());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "state", "warden.db")), "a replay must not create the state file");
    }

    [Fact]
    public async Task Replay_Text_PrintsTimelineAndSummary_AndSinceSkipsEarlierLines()
    {
        var config = WriteConfig();
        var log = Path.Combine(_dir.Path, "auth.log");
        File.WriteAllLines(log, [Failed("10:00:00", "192.0.2.10"), Failed("10:00:10", "192.0.2.10"), Failed("10:00:20", "192.0.2.10"), Failed("10:00:30", "192.0.2.10")]);

        var all = (await Proc.RunAsync(WardenBinary.Path, ["replay", "--config-dir", config, log])).EnsureSuccess();
        var since = (await Proc.RunAsync(WardenBinary.Path, ["replay", "--config-dir", config, log, "--since", "2026-11-01T10:00:05Z"])).EnsureSuccess();

        Assert.Contains("2026-11-01T10:00:20Z  sshd", all.StdOut, StringComparison.Ordinal);
        Assert.Contains("    | " + Failed("10:00:00", "192.0.2.10"), all.StdOut, StringComparison.Ordinal);
        Assert.Contains("4 lines replayed", all.StdOut, StringComparison.Ordinal);
        // From 10:00:05 on, the third counted failure is the one at 10:00:30.
        Assert.Contains("2026-11-01T10:00:30Z  sshd", since.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("10:00:20Z  sshd", since.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingLog_ExitsTwoNamingIt()
    {
        var config = WriteConfig();

        var result = await Proc.RunAsync(WardenBinary.Path, ["replay", "--config-dir", config, Path.Combine(_dir.Path, "nope.log")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.log: no such file", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private string WriteConfig()
    {
        var config = Path.Combine(_dir.Path, "config");
        Directory.CreateDirectory(Path.Combine(config, "filter.d"));
        foreach (var name in new[] { "sshd.conf", "common.conf" })
        {
            File.Copy(Path.Combine("/etc/fail2ban/filter.d", name), Path.Combine(config, "filter.d", name), overwrite: true);
        }

        File.WriteAllText(Path.Combine(config, "warden.conf"), $"[warden]\nstate = {Path.Combine(_dir.Path, "state", "warden.db")}\n");
        File.WriteAllText(Path.Combine(config, "jail.local"), $"""
            [sshd]
            enabled = true
            filter = sshd
            logpath = {Path.Combine(_dir.Path, "auth.log")}
            maxretry = 3
            findtime = 10m
            bantime = 1h
            """);
        return config;
    }

    private static string Failed(string time, string address) =>
        $"2026-11-01T{time}+0000 srv1 sshd[4242]: Failed password for root from {address} port 50022 ssh2";

    private static string Noise(string time) =>
        $"2026-11-01T{time}+0000 srv1 CRON[99]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)";

    private static void WriteGz(string path, params string[] lines)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new StreamWriter(gz);
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }
    }
}
