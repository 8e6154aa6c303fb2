using System.Diagnostics;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Issue 14, "Must show": the real <c>warden run</c> (Native AOT, real SQLite store, real nftables
/// in a namespace made here) killed with SIGKILL again and again while a writer that never waits
/// for it appends sshd failures: <see cref="Banned"/> addresses fail exactly 3 times (maxretry),
/// <see cref="Spared"/> exactly twice, each address's failures spread over the whole stream so
/// they span kills (and rotations). Afterwards every 3-failure address is banned once, in the
/// kernel's set and in the store, with 3 failures; no 2-failure address is banned and each has
/// exactly 2 stored failures: nothing lost, nothing counted twice.
/// </summary>
public sealed class CrashChaosTests(ITestOutputHelper output)
{
    private const int Banned = 200;
    private const int Spared = 200;
    private const string Sentinel = "10.202.0.1";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Run_HundredSigkillsDuringSteadyStream_CountsEveryFailureOnce() =>
        ChaosAsync(ChaosRotation.None, kills: 100, pace: TimeSpan.FromMilliseconds(25));

    [Theory]
    [InlineData(ChaosRotation.RenameCreate)]
    [InlineData(ChaosRotation.CopyTruncate)]
    [InlineData(ChaosRotation.Symlink)]
    [InlineData(ChaosRotation.Logrotate)]
    public Task Run_TwentySigkillsDuringRotations_CountsEveryFailureOnce(ChaosRotation style) =>
        ChaosAsync(style, kills: 20, pace: TimeSpan.FromMilliseconds(8));

    private static List<string> Plan(Random random)
    {
        // Round r holds every address's r-th failure (shuffled): an address's failures lie a
        // third of the stream apart, across many kills.
        var banned = Enumerable.Range(0, Banned).Select(Address4(200)).ToList();
        var spared = Enumerable.Range(0, Spared).Select(Address4(201)).ToList();
        var plan = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var addresses = round < 2 ? banned.Concat(spared).ToArray() : [.. banned];
            random.Shuffle(addresses);
            plan.AddRange(addresses);
        }

        // Last, in the current file: its ban says Warden read everything before it.
        plan.AddRange([Sentinel, Sentinel, Sentinel]);
        return plan;
    }

    private static Func<int, string> Address4(int second) => i => $"10.{second}.{i / 250}.{(i % 250) + 1}";

    // Rotates every 500 ms (logrotate every second, as the issue says) until told to stop.
    private static async Task RotateAsync(ChaosEnvironment env, ChaosWriter writer, ChaosRotation style, CancellationToken cancel)
    {
        var interval = style == ChaosRotation.Logrotate ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(500);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel) && !writer.Done)
            {
                // Nothing waits for Warden, dead or alive: with logrotate's compress, what it has
                // not read of the previous copy is read from the .gz.
                await writer.RotateAsync(style, env.LogrotateAsync);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Told to stop.
        }
    }

    private async Task ChaosAsync(ChaosRotation style, int kills, TimeSpan pace)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random();
        var plan = Plan(random);
        using var env = new ChaosEnvironment();
        using var writer = new ChaosWriter(env.LogPath, plan, pace, symlink: style == ChaosRotation.Symlink);
        var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir, "info");
        try
        {
            writer.Start();
            using var stopRotating = new CancellationTokenSource();
            var rotations = style == ChaosRotation.None ? Task.CompletedTask : RotateAsync(env, writer, style, stopRotating.Token);
            var downtime = TimeSpan.Zero;
            for (var kill = 1; kill <= kills; kill++)
            {
                // Up (it logged "Warden started"), reading, then killed 100-300 ms later, wherever it is.
                await Task.Delay(random.Next(100, 300));
                Assert.True(warden.IsRunning, $"warden exited by itself before kill {kill}:\n{warden.Log}");
                var down = Stopwatch.StartNew();
                await warden.StopAsync("KILL");
                warden.Dispose();
                warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir, "info");
                downtime += down.Elapsed;
            }

            await stopRotating.CancelAsync();
            await rotations;
            writer.Release();
            await Eventually.TrueAsync(() => writer.Done, Deadline, "the writer wrote its plan");
            await Eventually.TrueAsync(
                async () => (await env.KernelBansAsync()).Contains(Sentinel) && (await env.StoredBansAsync()).ContainsKey(Sentinel),
                Deadline,
                () => $"the sentinel banned (everything before it read). Warden log:\n{warden.Log}");

            var kernel = await env.KernelBansAsync();
            var stored = await env.StoredBansAsync();
            var failures = await env.StoredFailuresAsync();
            var banned = Enumerable.Range(0, Banned).Select(Address4(200)).Append(Sentinel).ToHashSet();
            var spared = Enumerable.Range(0, Spared).Select(Address4(201)).ToHashSet();
            var notBanned = banned.Where(a => !kernel.Contains(a)).ToList();
            var wronglyBanned = kernel.Where(spared.Contains).Concat(stored.Keys.Where(spared.Contains)).Distinct().ToList();
            // A kill between the firewall's apply and the store's commit leaves a ban the store
            // lacks; the next start keeps it from the kernel with the 2 failures stored before it.
            // The third, in the lost batch, is read again while the address is banned and is not
            // counted. Any other count is wrong.
            var wrongBanRecords = banned.Where(a => !stored.TryGetValue(a, out var b) || b.Records != 1 || b.Failures is not (2 or 3)).ToList();
            var keptFromKernel = stored.Count(b => b.Value.Failures == 2);
            var wrongCounts = spared.Where(a => failures.GetValueOrDefault(a) != 2).ToList();
            var leftOnBanned = banned.Where(a => failures.GetValueOrDefault(a) != 0).ToList();
            output.WriteLine(
                $"{style}: {kills} kills ({downtime.TotalSeconds:F1} s down), {writer.Rotations} rotations, {plan.Count} lines " +
                $"({Banned + 1} addresses x 3, {Spared} x 2) in {clock.Elapsed.TotalSeconds:F1} s; " +
                $"kernel {kernel.Count} bans, store {stored.Count}; not banned {notBanned.Count}, wrongly banned {wronglyBanned.Count}, " +
                $"{keptFromKernel} kept from the kernel after a kill, wrong ban records {wrongBanRecords.Count}, wrong failure counts {wrongCounts.Count}, failures left on banned {leftOnBanned.Count}");
            foreach (var a in wrongBanRecords.Concat(wrongCounts).Take(20))
            {
                output.WriteLine($"  {a}: ban {(stored.TryGetValue(a, out var b) ? $"{b.Records} records, {b.Failures} failures" : "none")}, {failures.GetValueOrDefault(a)} stored failures; rows {await env.RowsAsync(a)}; log {string.Join(" / ", warden.Log.Split('\n').Where(l => l.Contains(a, StringComparison.Ordinal)))}");
            }

            Assert.Empty(notBanned);
            Assert.Empty(wronglyBanned);
            Assert.Empty(wrongBanRecords);
            Assert.Empty(wrongCounts);
            Assert.Empty(leftOnBanned);
            Assert.Equal(banned.Count, kernel.Count);
        }
        catch
        {
            output.WriteLine("last warden log:\n" + warden.Log);
            throw;
        }
        finally
        {
            warden.Dispose();
        }
    }
}
