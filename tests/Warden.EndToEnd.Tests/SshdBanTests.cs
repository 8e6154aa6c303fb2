using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// The walking skeleton end to end: real sshd, real sshpass logins, real nftables, all in
/// namespaces created for the test.
/// </summary>
public class SshdBanTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Run_SshdBruteForce_BansAttackerOnlyUntilBantimeEnds()
    {
        using var env = new SshdEnvironment(bantime: TimeSpan.FromSeconds(15));
        using var sshd = await SshServer.StartAsync(env.Server, env.Dir, env.LogPath);
        using var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);
        Assert.Contains("[broken]", warden.Log, StringComparison.Ordinal);
        Assert.Contains("this jail is off", warden.Log, StringComparison.Ordinal);
        Assert.True(await env.Attacker.CanConnectAsync(env.ServerForAttacker, 22), "attacker reaches sshd before the attack");

        await AttackUntilBannedAsync(env, warden);

        Assert.False(await env.Attacker.CanConnectAsync(env.ServerForAttacker, 22), "banned attacker must not connect to port 22");
        Assert.True(await env.Client.CanConnectAsync(env.ServerForClient, 22), "a clean client still connects");
        await Eventually.TrueAsync(
            () => env.Attacker.CanConnectAsync(env.ServerForAttacker, 22, TimeSpan.FromSeconds(1)),
            TimeSpan.FromSeconds(40),
            "the attacker connects again once bantime is over");
    }

    [Fact]
    public async Task Run_KilledAndRestarted_KeepsBanAndCountsEveryLineOnce()
    {
        using var env = new SshdEnvironment(bantime: TimeSpan.FromMinutes(10));
        using var sshd = await SshServer.StartAsync(env.Server, env.Dir, env.LogPath);
        var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);
        await AttackUntilBannedAsync(env, warden);

        // One failure of the second attacker is counted and committed before the kill.
        await SshServer.FailLoginAsync(env.Attacker2, env.ServerForAttacker2);
        await Eventually.TrueAsync(async () => await env.StoredFailuresAsync(env.Attacker2Address) == 1, Soon, "first failure of attacker 2 stored");
        await warden.StopAsync("KILL");
        warden.Dispose();

        // The kernel keeps the ban while Warden is dead.
        Assert.Contains(env.AttackerAddress, await env.BannedSetAsync(), StringComparison.Ordinal);
        Assert.False(await env.Attacker.CanConnectAsync(env.ServerForAttacker, 22));

        // A failure written while Warden is down.
        await SshServer.FailLoginAsync(env.Attacker2, env.ServerForAttacker2);
        Assert.Equal(2, File.ReadAllLines(env.LogPath).Count(l => l.Contains("Failed password", StringComparison.Ordinal) && l.Contains(env.Attacker2Address, StringComparison.Ordinal)));

        using var restarted = await WardenProcess.StartAsync(env.Server, env.ConfigDir);

        // The line written while down is read; the line read before the kill is not counted again.
        await Eventually.TrueAsync(async () => await env.StoredFailuresAsync(env.Attacker2Address) == 2, Soon, "attacker 2 has exactly 2 failures after restart");
        await Task.Delay(500);
        Assert.Equal(2, await env.StoredFailuresAsync(env.Attacker2Address));
        Assert.DoesNotContain(env.Attacker2Address, await env.BannedSetAsync(), StringComparison.Ordinal);
        Assert.Contains(env.AttackerAddress, await env.BannedSetAsync(), StringComparison.Ordinal);
        Assert.False(await env.Attacker.CanConnectAsync(env.ServerForAttacker, 22), "ban restored after restart");

        // The third failure reaches maxretry = 3.
        await SshServer.FailLoginAsync(env.Attacker2, env.ServerForAttacker2);
        await Eventually.TrueAsync(async () => (await env.BannedSetAsync()).Contains(env.Attacker2Address, StringComparison.Ordinal), Soon, "attacker 2 banned at its third failure");
        Assert.Equal(0, await restarted.StopAsync());
    }

    private static async Task AttackUntilBannedAsync(SshdEnvironment env, WardenProcess warden)
    {
        // maxretry = 3: two failures are not enough, the third bans.
        await SshServer.FailLoginAsync(env.Attacker, env.ServerForAttacker);
        await SshServer.FailLoginAsync(env.Attacker, env.ServerForAttacker);
        await Eventually.TrueAsync(async () => await env.StoredFailuresAsync(env.AttackerAddress) == 2, Soon, () => $"two failures counted. Warden log:\n{warden.Log}");
        Assert.DoesNotContain(env.AttackerAddress, await env.BannedSetAsync(), StringComparison.Ordinal);

        await SshServer.FailLoginAsync(env.Attacker, env.ServerForAttacker);
        await Eventually.TrueAsync(
            async () => (await env.BannedSetAsync()).Contains(env.AttackerAddress, StringComparison.Ordinal),
            Soon,
            $"attacker in Warden's nftables set. Warden log:\n{warden.Log}\nsshd log:\n{File.ReadAllText(env.LogPath)}");
    }
}
