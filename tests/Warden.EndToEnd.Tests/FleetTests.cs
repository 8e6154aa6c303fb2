using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Warden.Core.Fleet;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Three Warden hosts (a, b, c) sharing bans through Debian's real redis-server on a fourth
/// host, each in its own network namespace joined to the Redis host by a veth pair, keys made
/// by <c>warden fleet keygen</c>: what one host bans is in the others' nftables sets within a
/// second, its unban lifts it there, and an entry written into the stream by hand with a forged
/// signature is counted and never applied.
/// </summary>
public sealed class FleetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Soon = FleetEnvironment.Soon;
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);
    private FleetEnvironment _fleet = null!;

    public async Task InitializeAsync() => _fleet = await FleetEnvironment.StartAsync();

    public async Task DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }
    }

    [Fact]
    public async Task BanOnA_IsOnBAndCWithinASecond_UnbanLiftsIt_AndAForgedEntryIsCountedNotApplied()
    {
        // A manual ban on a.
        (await Warden("ban", "sshd", "198.51.100.7", "--time", "1h", "--socket", Socket("a"))).EnsureSuccess();
        var manual = Stopwatch.StartNew();
        await InSetsAsync("198.51.100.7", present: true);
        output.WriteLine($"manual ban a -> b and c kernel sets: {manual.ElapsedMilliseconds} ms");
        Assert.True(manual.Elapsed < Propagation, $"manual ban reached b and c after {manual.ElapsedMilliseconds} ms");

        // A ban a's sshd jail makes from its log.
        var now = DateTime.Now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
        var line = $"{now} a sshd[77]: Failed password for root from 198.51.100.8 port 4444 ssh2\n";
        await File.AppendAllTextAsync(_fleet.Dir.File("log/a.log"), line + line + line);
        await Eventually.TrueAsync(async () => (await SetAsync("a")).Contains("198.51.100.8", StringComparison.Ordinal), Soon, () => $"a bans from its log. Log:\n{_fleet.Warden("a").Log}");
        var logged = Stopwatch.StartNew();
        await InSetsAsync("198.51.100.8", present: true);
        output.WriteLine($"log ban a -> b and c kernel sets: {logged.ElapsedMilliseconds} ms");
        Assert.True(logged.Elapsed < Propagation, $"log ban reached b and c after {logged.ElapsedMilliseconds} ms");

        // The unban on a lifts it everywhere.
        (await Warden("unban", "198.51.100.7", "--socket", Socket("a"))).EnsureSuccess();
        var unban = Stopwatch.StartNew();
        await InSetsAsync("198.51.100.7", present: false);
        output.WriteLine($"unban a -> b and c kernel sets: {unban.ElapsedMilliseconds} ms");
        Assert.True(unban.Elapsed < Propagation, $"unban reached b and c after {unban.ElapsedMilliseconds} ms");
        Assert.Contains("198.51.100.8", await SetAsync("b"), StringComparison.Ordinal);

        // Written straight into the stream: a's name, a signature that is not a's, and none at all.
        var issued = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var expires = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string[] fields = ["origin", "a", "seq", "9999999999999999", "kind", "ban", "jail", "sshd", "target", "203.0.113.9", "issued", issued, "expires", expires, "reason", "forged", "evidence", ""];
        (await _fleet.Redis.CliAsync(["XADD", "warden:decisions", "*", .. fields, "sig", Convert.ToBase64String(new byte[64])])).EnsureSuccess();
        (await _fleet.Redis.CliAsync(["XADD", "warden:decisions", "*", .. fields.Select(f => f == "203.0.113.9" ? "203.0.113.10" : f)])).EnsureSuccess();
        await Eventually.TrueAsync(async () => Dropped(await FleetAsync("b"), "Forged") == 1 && Dropped(await FleetAsync("c"), "NoSignature") == 1, Soon, "b and c count the forged and the unsigned entry");

        foreach (var host in new[] { "b", "c" })
        {
            var fleet = await FleetAsync(host);
            Assert.Equal(2, fleet.GetProperty("rejected").GetInt64());
            Assert.DoesNotContain("203.0.113.", await SetAsync(host), StringComparison.Ordinal);
            var a = fleet.GetProperty("peers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "a");
            Assert.Equal(JsonValueKind.String, a.GetProperty("lastHeard").ValueKind);
        }

        var status = await Warden("status", "--socket", Socket("b"));
        Assert.Contains("fleet: node b, connected", status.StdOut, StringComparison.Ordinal);
        Assert.Contains("Forged 1", status.StdOut, StringComparison.Ordinal);
        Assert.Contains("peer a: last heard", status.StdOut, StringComparison.Ordinal);
        Assert.Contains("peer c: never heard", status.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnbanOnA_OfAnAddressCBansToo_StaysOnBAsCsBanAndOnC_UntilCLiftsIt()
    {
        // a bans X for 2 h, c for 1 h: b holds a's ban and notes c's.
        (await Warden("ban", "sshd", "198.51.100.20", "--time", "2h", "--socket", Socket("a"))).EnsureSuccess();
        await InSetsAsync("198.51.100.20", present: true);
        (await Warden("ban", "sshd", "198.51.100.20", "--time", "1h", "--socket", Socket("c"))).EnsureSuccess();
        await Eventually.TrueAsync(
            async () => (await FleetAsync("b")).GetProperty("peers").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "c" && p.GetProperty("lastHeard").ValueKind == JsonValueKind.String),
            Soon,
            "b reads c's ban");

        // a lifts it; a ban a makes after the unban shows when b and c have read past it.
        (await Warden("unban", "198.51.100.20", "--socket", Socket("a"))).EnsureSuccess();
        (await Warden("ban", "sshd", "198.51.100.21", "--time", "1h", "--socket", Socket("a"))).EnsureSuccess();
        await InSetsAsync("198.51.100.21", present: true);

        Assert.Contains("198.51.100.20", await SetAsync("b"), StringComparison.Ordinal);
        Assert.Contains("198.51.100.20", await SetAsync("c"), StringComparison.Ordinal);
        var show = await Warden("show", "198.51.100.20", "--socket", Socket("b"));
        Assert.Contains("Fleet by c", show.StdOut, StringComparison.Ordinal);

        // c lifts its own: nobody bans it any more.
        (await Warden("unban", "198.51.100.20", "--socket", Socket("c"))).EnsureSuccess();
        await InSetsAsync("198.51.100.20", present: false, only: "b");
        Assert.DoesNotContain("198.51.100.20", await SetAsync("a"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeerBans_OfAnAddressCIgnoresAndOfASlash8_AreRefusedThere()
    {
        // Signed with a's real key, as a compromised or misconfigured a would.
        var keyFile = _fleet.Dir.File("keys/a/a.key");
        using var signer = new FleetSigner("a", FleetKeys.ImportPrivate(await File.ReadAllTextAsync(keyFile), keyFile));
        foreach (var target in new[] { "10.0.0.0/8", "192.0.2.200/32" })
        {
            var now = DateTimeOffset.UtcNow;
            var entry = signer.Sign(new FleetDecision("a", signer.NextSequence(now), DecisionKind.Ban, "sshd", IPNetwork.Parse(target), now, now.AddHours(1), "sshd: 3 failures", ""));
            (await _fleet.Redis.CliAsync(["XADD", "warden:decisions", "*", .. entry.WireFields.SelectMany(f => new[] { f.Key, f.Value })])).EnsureSuccess();
        }

        await InSetsAsync("192.0.2.200", present: true, only: "b");
        await Eventually.TrueAsync(async () => Dropped(await FleetAsync("c"), "Refused") == 1, Soon, () => $"c refuses the ban of its ignoreip. Log of c:\n{_fleet.Warden("c").Log}");

        Assert.DoesNotContain("192.0.2.200", await SetAsync("c"), StringComparison.Ordinal);
        foreach (var host in new[] { "b", "c" })
        {
            Assert.Equal(1, Dropped(await FleetAsync(host), "TooWide"));
            Assert.DoesNotContain("10.0.0.0/8", (await _fleet.Host(host).RunAsync("nft", ["list", "table", "inet", "warden"])).StdOut, StringComparison.Ordinal);
            Assert.Equal(0, (await FleetAsync(host)).GetProperty("rejected").GetInt64());
        }
    }

    private static long Dropped(JsonElement fleet, string reason) => FleetEnvironment.Dropped(fleet, reason);

    private async Task InSetsAsync(string address, bool present, string? only = null) =>
        await _fleet.InSetsAsync([address], present, Soon, only is null ? ["b", "c"] : [only]);

    private async Task<string> SetAsync(string host) => string.Join(" ", await _fleet.SetAsync(host));

    private Task<JsonElement> FleetAsync(string host) => _fleet.FleetAsync(host);

    private string Socket(string host) => _fleet.Socket(host);

    private static Task<ProcessResult> Warden(params string[] args) => FleetEnvironment.Cli(args);
}
