using System.Text.Json;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// "Why was this address banned?" answered after a real sshd brute force: <c>warden show</c>
/// gives the ban with the sshd lines that caused it, <c>warden status JAIL</c> reads as
/// fail2ban-client's, and <c>--json</c> on show, status, ban, unban and check gives documents a
/// script can read.
/// </summary>
public sealed class ShowStatusTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ShowAndStatus_AfterSshdBruteForce_GiveTheEvidenceLinesAndTheBannedList()
    {
        using var env = new SshdEnvironment(bantime: TimeSpan.FromMinutes(10));
        using var sshd = await SshServer.StartAsync(env.Server, env.Dir, env.LogPath);
        using var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);
        var socket = env.Dir.File("warden.sock");
        await warden.WaitForLogAsync("Admin API listening", Soon);
        for (var i = 0; i < 3; i++)
        {
            await SshServer.FailLoginAsync(env.Attacker, env.ServerForAttacker);
        }

        await Eventually.TrueAsync(
            async () => (await env.BannedSetAsync()).Contains(env.AttackerAddress, StringComparison.Ordinal),
            Soon,
            $"attacker banned. Warden log:\n{warden.Log}");

        var show = await Warden("show", env.AttackerAddress, "--json", "--socket", socket);
        Assert.True(show.ExitCode == 0, show.StdErr);
        using (var doc = JsonDocument.Parse(show.StdOut))
        {
            var root = doc.RootElement;
            Assert.Equal(env.AttackerAddress, root.GetProperty("address").GetString());
            var ban = Assert.Single(root.GetProperty("bans").EnumerateArray());
            Assert.Equal("sshd", ban.GetProperty("jail").GetString());
            Assert.Equal("Jail", ban.GetProperty("origin").GetString());
            Assert.Equal(3, ban.GetProperty("failures").GetInt32());
            Assert.True(ban.GetProperty("inForce").GetBoolean());
            Assert.Equal(600, ban.GetProperty("banTime").GetDouble());
            var start = ban.GetProperty("start").GetDateTimeOffset();
            Assert.Equal(start.AddMinutes(10), ban.GetProperty("end").GetDateTimeOffset());
            var evidence = ban.GetProperty("evidence").EnumerateArray().ToList();
            Assert.Equal(3, evidence.Count);
            Assert.All(evidence, e =>
            {
                Assert.Equal($"file:{env.LogPath}", e.GetProperty("source").GetString());
                Assert.Contains($"Failed password for", e.GetProperty("line").GetString(), StringComparison.Ordinal);
                Assert.Contains($"from {env.AttackerAddress} port", e.GetProperty("line").GetString(), StringComparison.Ordinal);
            });
            var sshLines = File.ReadAllLines(env.LogPath).Where(l => l.Contains($"Failed password", StringComparison.Ordinal)).ToList();
            Assert.Equal(sshLines, evidence.Select(e => e.GetProperty("line").GetString()!));
        }

        var showText = await Warden("show", env.AttackerAddress, "--socket", socket);
        Assert.Contains($"[sshd] {env.AttackerAddress}", showText.StdOut, StringComparison.Ordinal);
        Assert.Contains("3 failure(s) within findtime", showText.StdOut, StringComparison.Ordinal);
        Assert.Equal(3, showText.StdOut.Split('\n').Count(l => l.Contains("Failed password", StringComparison.Ordinal)));

        var clean = await Warden("show", env.Attacker2Address, "--json", "--socket", socket);
        using (var doc = JsonDocument.Parse(clean.StdOut))
        {
            Assert.Empty(doc.RootElement.GetProperty("bans").EnumerateArray());
        }

        var status = await Warden("status", "sshd", "--json", "--socket", socket);
        Assert.True(status.ExitCode == 0, status.StdErr);
        using (var doc = JsonDocument.Parse(status.StdOut))
        {
            var jail = Assert.Single(doc.RootElement.GetProperty("jails").EnumerateArray());
            Assert.Equal("sshd", jail.GetProperty("name").GetString());
            Assert.Equal([env.AttackerAddress], jail.GetProperty("banned").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(3, jail.GetProperty("failures").GetInt64());
            Assert.Equal(1, jail.GetProperty("bans").GetInt64());
            Assert.Equal([$"file:{env.LogPath}"], jail.GetProperty("sources").EnumerateArray().Select(e => e.GetString()));
        }

        var statusText = await Warden("status", "sshd", "--socket", socket);
        Assert.Contains("Currently banned:\t1", statusText.StdOut, StringComparison.Ordinal);
        Assert.Contains($"Banned IP list:\t{env.AttackerAddress}", statusText.StdOut, StringComparison.Ordinal);
        Assert.Contains($"File list:\tfile:{env.LogPath}", statusText.StdOut, StringComparison.Ordinal);
        var noJail = await Warden("status", "nope", "--json", "--socket", socket);
        Assert.Equal(1, noJail.ExitCode);
        using (var doc = JsonDocument.Parse(noJail.StdOut))
        {
            Assert.Contains("no jail 'nope'", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var ban2 = await Warden("ban", "sshd", env.Attacker2Address, "--time", "1h", "--json", "--socket", socket);
        Assert.True(ban2.ExitCode == 0, ban2.StdErr);
        using (var doc = JsonDocument.Parse(ban2.StdOut))
        {
            Assert.Equal(env.Attacker2Address, doc.RootElement.GetProperty("target").GetString());
            Assert.Equal("sshd", doc.RootElement.GetProperty("jail").GetString());
        }

        var unban = await Warden("unban", env.Attacker2Address, "--json", "--socket", socket);
        Assert.True(unban.ExitCode == 0, unban.StdErr);
        Assert.Contains(env.Attacker2Address, unban.StdOut, StringComparison.Ordinal);
        using (JsonDocument.Parse(unban.StdOut))
        {
        }

        var manual = await Warden("show", env.Attacker2Address, "--json", "--socket", socket);
        using (var doc = JsonDocument.Parse(manual.StdOut))
        {
            var past = Assert.Single(doc.RootElement.GetProperty("bans").EnumerateArray());
            Assert.Equal("Manual", past.GetProperty("origin").GetString());
            Assert.False(past.GetProperty("inForce").GetBoolean());
            Assert.False(string.IsNullOrEmpty(past.GetProperty("by").GetString()));
        }

        var check = await Warden("check", "--config-dir", env.ConfigDir, "--json");
        using (var doc = JsonDocument.Parse(check.StdOut))
        {
            Assert.Contains(doc.RootElement.GetProperty("jails").EnumerateArray(), j => j.GetProperty("name").GetString() == "sshd");
        }

        Assert.Equal(0, await warden.StopAsync());
    }

    private static Task<ProcessResult> Warden(params string[] args) => Proc.RunAsync(WardenBinary.Path, args);
}
