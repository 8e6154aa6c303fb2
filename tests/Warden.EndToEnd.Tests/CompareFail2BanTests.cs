using System.Globalization;
using System.Text.Json;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// The switch from fail2ban, proven beside it: a real fail2ban-server (Debian's, its dummy action:
/// no firewall) and Warden in shadow mode with <c>findtime_window = fail2ban</c> read the same log
/// of a real sshd under a brute force; <c>warden compare</c> finds the same bans. With Warden's
/// maxretry changed (a live reload), it reports exactly the differences that makes, each with its
/// reason and evidence.
/// </summary>
public sealed class CompareFail2BanTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Compare_ShadowBesideFail2Ban_SameBansThenExactlyTheDifferencesOfAnotherMaxretry()
    {
        using var env = new SshdEnvironment(bantime: TimeSpan.FromMinutes(10));
        var fail2banDb = env.Dir.File("fail2ban/fail2ban.sqlite3");
        var fail2banLog = env.Dir.File("fail2ban/fail2ban.log");
        var fail2banConf = StageFail2Ban(env, fail2banDb, fail2banLog);
        env.Dir.Write("etc/warden.conf", $"[warden]\nmode = shadow\nstate = {env.StatePath}\n[api]\nsocket = {env.Dir.File("warden.sock")}\n");
        var jailLocal = env.Dir.Write("etc/jail.local", WardenJail(env, maxRetry: 3));

        using var sshd = await SshServer.StartAsync(env.Server, env.Dir, env.LogPath);
        var fail2ban = env.Server.Start("fail2ban-server", ["-c", fail2banConf, "-f", "-x"]);
        await Eventually.TrueAsync(() => File.Exists(fail2banLog) && File.ReadAllText(fail2banLog).Contains("Jail 'sshd' started", StringComparison.Ordinal), Soon, () => $"fail2ban's sshd jail started:\n{Read(fail2banLog)}");
        using var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);

        // Three failures ban the attacker on both sides; two leave the second attacker unbanned.
        for (var i = 0; i < 3; i++)
        {
            await SshServer.FailLoginAsync(env.Attacker, env.ServerForAttacker);
        }

        for (var i = 0; i < 2; i++)
        {
            await SshServer.FailLoginAsync(env.Attacker2, env.ServerForAttacker2);
        }

        await Eventually.TrueAsync(() => warden.Log.Contains($"Would ban {env.AttackerAddress}/32", StringComparison.Ordinal) || warden.Log.Contains($"Would ban {env.AttackerAddress} ", StringComparison.Ordinal), Soon, () => $"Warden's would-ban. Log:\n{warden.Log}");
        await Eventually.TrueAsync(async () => await Fail2BanBansAsync(fail2banDb) == 1, Soon, () => $"fail2ban's ban in its database:\n{Read(fail2banLog)}");
        await Eventually.TrueAsync(async () => await env.StoredFailuresAsync(env.Attacker2Address) == 2, Soon, () => $"the second attacker's two failures stored. Log:\n{warden.Log}");
        Assert.Contains("Ban " + env.AttackerAddress, Read(fail2banLog), StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await env.Server.RunAsync("nft", ["list", "ruleset"])).StdOut.Trim());

        var same = await Compare(env, fail2banDb, "--json");
        Assert.True(same.ExitCode == 0, same.StdOut + same.StdErr);
        using (var doc = JsonDocument.Parse(same.StdOut))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("differences").GetInt32());
            var jail = Assert.Single(doc.RootElement.GetProperty("jails").EnumerateArray());
            Assert.Equal("sshd", jail.GetProperty("name").GetString());
            var both = Assert.Single(jail.GetProperty("both").EnumerateArray());
            Assert.Equal(env.AttackerAddress, both.GetProperty("address").GetString());
            Assert.True(both.GetProperty("wouldBan").GetBoolean());
        }

        var sameText = await Compare(env, fail2banDb);
        Assert.Contains("the same bans", sameText.StdOut, StringComparison.Ordinal);
        Assert.Contains($"both           {env.AttackerAddress} (would ban)", sameText.StdOut, StringComparison.Ordinal);

        // Warden's maxretry down to 2: the client's two failures are a Warden ban alone. Then up
        // to 5: the second attacker's third failure is a fail2ban ban alone.
        File.WriteAllText(jailLocal, WardenJail(env, maxRetry: 2));
        await Proc.RunAsync("kill", ["-HUP", warden.Pid.ToString(CultureInfo.InvariantCulture)]);
        await Eventually.TrueAsync(() => Count(warden.Log, "Warden started") == 2, Soon, () => $"reloaded. Log:\n{warden.Log}");
        var client = $"{env.Net}.2.2";
        for (var i = 0; i < 2; i++)
        {
            await SshServer.FailLoginAsync(env.Client, env.ServerForClient);
        }

        await Eventually.TrueAsync(() => warden.Log.Contains($"Would ban {client}", StringComparison.Ordinal), Soon, () => $"Warden's would-ban of the client. Log:\n{warden.Log}");

        File.WriteAllText(jailLocal, WardenJail(env, maxRetry: 5));
        await Proc.RunAsync("kill", ["-HUP", warden.Pid.ToString(CultureInfo.InvariantCulture)]);
        await Eventually.TrueAsync(() => Count(warden.Log, "Warden started") == 3, Soon, () => $"reloaded again. Log:\n{warden.Log}");
        await SshServer.FailLoginAsync(env.Attacker2, env.ServerForAttacker2);
        await Eventually.TrueAsync(async () => await Fail2BanBansAsync(fail2banDb) == 2, Soon, () => $"fail2ban's second ban:\n{Read(fail2banLog)}");
        await Eventually.TrueAsync(async () => Count(warden.Log, $"found {env.Attacker2Address} (") == 3 && await env.StoredFailuresAsync(env.Attacker2Address) >= 1, Soon, () => $"Warden saw the third failure. Log:\n{warden.Log}");

        var differ = await Compare(env, fail2banDb, "--json");
        Assert.True(differ.ExitCode == 1, differ.StdOut + differ.StdErr);
        using (var doc = JsonDocument.Parse(differ.StdOut))
        {
            Assert.Equal(2, doc.RootElement.GetProperty("differences").GetInt32());
            var jail = Assert.Single(doc.RootElement.GetProperty("jails").EnumerateArray());
            Assert.Equal([env.AttackerAddress], jail.GetProperty("both").EnumerateArray().Select(b => b.GetProperty("address").GetString()));

            var onlyWarden = Assert.Single(jail.GetProperty("onlyWarden").EnumerateArray());
            Assert.Equal(client, onlyWarden.GetProperty("address").GetString());
            Assert.True(onlyWarden.GetProperty("wouldBan").GetBoolean());
            var reason = onlyWarden.GetProperty("reason").GetString()!;
            Assert.True(reason.StartsWith("fail2ban did not ban it; Warden did after 2 failure(s) (findtime 10m, counted as fail2ban does", StringComparison.Ordinal), reason);
            var evidence = onlyWarden.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("line").GetString()!).ToList();
            Assert.Equal(2, evidence.Count);
            Assert.All(evidence, l => Assert.Contains($"from {client} port", l, StringComparison.Ordinal));

            var onlyFail2Ban = Assert.Single(jail.GetProperty("onlyFail2ban").EnumerateArray());
            Assert.Equal(env.Attacker2Address, onlyFail2Ban.GetProperty("address").GetString());
            Assert.Matches(@"^Warden counted [1-3] failure\(s\) of it in 'sshd', fewer than its maxretry 5 within findtime 10m", onlyFail2Ban.GetProperty("reason").GetString());
            Assert.Equal(3, onlyFail2Ban.GetProperty("failures").GetInt32());
            Assert.Contains(onlyFail2Ban.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("line").GetString()!.Contains($"from {env.Attacker2Address} port", StringComparison.Ordinal));
        }

        var differText = await Compare(env, fail2banDb);
        Assert.Contains("2 difference(s)", differText.StdOut, StringComparison.Ordinal);
        Assert.Contains($"only Warden    {client} at ", differText.StdOut, StringComparison.Ordinal);
        Assert.Contains($"only fail2ban  {env.Attacker2Address}", differText.StdOut, StringComparison.Ordinal);

        await Proc.RunAsync("kill", ["-TERM", fail2ban.Id.ToString(CultureInfo.InvariantCulture)]);
        using var exit = new CancellationTokenSource(Soon);
        await fail2ban.WaitForExitAsync(exit.Token);
        Assert.Equal(0, await warden.StopAsync());
    }

    private static Task<ProcessResult> Compare(SshdEnvironment env, string fail2banDb, params string[] extra) =>
        Proc.RunAsync(WardenBinary.Path, ["compare", "--fail2ban-db", fail2banDb, "--config-dir", env.ConfigDir, .. extra]);

    private static string WardenJail(SshdEnvironment env, int maxRetry) => $"""
        [DEFAULT]
        ignoreip = 127.0.0.1/8 ::1

        [sshd]
        enabled  = true
        filter   = sshd
        logpath  = {env.LogPath}
        maxretry = {maxRetry}
        findtime = 10m
        bantime  = 10m
        findtime_window = fail2ban
        """;

    // Debian's fail2ban configuration, copied, with the test's own socket, pid file, database and
    // log, and one jail: the same sshd filter, maxretry 3 and findtime 10m, banning with dummy.
    private static string StageFail2Ban(SshdEnvironment env, string database, string log)
    {
        var conf = env.Dir.File("fail2ban/conf");
        foreach (var file in Directory.EnumerateFiles("/etc/fail2ban", "*", SearchOption.AllDirectories).Where(f => !f.StartsWith("/etc/fail2ban/jail.d/", StringComparison.Ordinal)))
        {
            var target = Path.Combine(conf, Path.GetRelativePath("/etc/fail2ban", file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var dir = env.Dir.File("fail2ban");
        File.WriteAllText(Path.Combine(conf, "fail2ban.local"), $"[Definition]\nloglevel = INFO\nlogtarget = {log}\nsocket = {dir}/fail2ban.sock\npidfile = {dir}/fail2ban.pid\ndbfile = {database}\n");
        File.WriteAllText(Path.Combine(conf, "jail.local"), $"""
            [DEFAULT]
            ignoreip = 127.0.0.1/8 ::1
            banaction = dummy

            [sshd]
            enabled  = true
            backend  = polling
            filter   = sshd
            logpath  = {env.LogPath}
            maxretry = 3
            findtime = 10m
            bantime  = 10m
            action   = dummy[target={dir}/dummy.txt]
            """);
        return conf;
    }

    private static async Task<int> Fail2BanBansAsync(string database)
    {
        if (!File.Exists(database))
        {
            return -1;
        }

        var result = await Proc.RunAsync("sqlite3", [database, "SELECT count(*) FROM bans WHERE jail = 'sshd'"]);
        return int.TryParse(result.StdOut.Trim(), out var n) ? n : -1;
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log yet)";

    private static int Count(string text, string what) => System.Text.RegularExpressions.Regex.Count(text, System.Text.RegularExpressions.Regex.Escape(what));
}
