using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Store.Sqlite.Tests;

public sealed class SqliteEvidenceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task BansOfAsync_AfterReopen_HasEvidenceStepAndBanTime()
    {
        var path = _dir.File("warden.db");
        EvidenceLine[] lines =
        [
            new(Now.AddSeconds(-20), "file:/var/log/auth.log", "sshd[1]: Failed password for root from 192.0.2.9 port 1 ssh2"),
            new(Now.AddSeconds(-10), "file:/var/log/auth.log", "sshd[1]: Failed password for root from 192.0.2.9 port 2 ssh2"),
        ];
        using (var store = SqliteStateStore.Open(path))
        {
            await Commit(store, c => c.Bans.Add(new Ban("sshd", Host("192.0.2.9"), Now, Now.AddHours(2), BanOrigin.Jail, 2) { Evidence = lines, PriorBans = 1 }));
        }

        using var reopened = SqliteStateStore.Open(path);
        var past = Assert.Single(await reopened.BansOfAsync(Host("192.0.2.9"), 10, CancellationToken.None));

        Assert.Equal(lines, past.Ban.Evidence);
        Assert.Equal(1, past.Ban.PriorBans);
        Assert.Equal(2, past.Ban.Failures);
        Assert.Equal(TimeSpan.FromHours(2), past.Ban.BanTime);
        Assert.Null(past.Ban.By);
    }

    [Fact]
    public async Task BansOfAsync_ManualBan_SaysWhoMadeIt()
    {
        using var store = SqliteStateStore.Open(_dir.File("warden.db"));
        await Commit(store, c => c.Bans.Add(new Ban("sshd", Host("192.0.2.9"), Now, null, BanOrigin.Manual, 0) { By = "uid 0" }));

        var past = Assert.Single(await store.BansOfAsync(Host("192.0.2.9"), 10, CancellationToken.None));

        Assert.Equal("uid 0", past.Ban.By);
        Assert.Equal(BanOrigin.Manual, past.Ban.Origin);
        Assert.Empty(past.Ban.Evidence);
    }

    [Fact]
    public async Task BansOfAsync_Address_FindsPrefixBanAroundIt_AndNetworkFindsBansInside()
    {
        using var store = SqliteStateStore.Open(_dir.File("warden.db"));
        await Commit(store, c =>
        {
            c.Bans.Add(new Ban("sshd", Net("192.0.2.0/24"), Now, Now.AddHours(1), BanOrigin.Prefix, 6));
            c.Bans.Add(new Ban("sshd", Host("192.0.2.7"), Now.AddMinutes(-5), Now.AddHours(1), BanOrigin.Jail, 5));
            c.Bans.Add(new Ban("sshd", Host("198.51.100.1"), Now, Now.AddHours(1), BanOrigin.Jail, 5));
        });

        var ofAddress = await store.BansOfAsync(Host("192.0.2.7"), 10, CancellationToken.None);
        var ofNetwork = await store.BansOfAsync(Net("192.0.2.0/25"), 10, CancellationToken.None);

        Assert.Equal(["192.0.2.0/24", "192.0.2.7"], ofAddress.Select(p => AddressParsing.Format(p.Ban.Target)));
        Assert.Equal(["192.0.2.0/24", "192.0.2.7"], ofNetwork.Select(p => AddressParsing.Format(p.Ban.Target)));
    }

    [Fact]
    public async Task CommitAsync_PurgeHistory_DeletesEndedBansAndTheirEvidence_KeepsBansInForce()
    {
        var path = _dir.File("warden.db");
        using var store = SqliteStateStore.Open(path);
        var line = new EvidenceLine(Now.AddDays(-40), "file:/var/log/auth.log", "old line");
        var lifted = new Ban("sshd", Host("192.0.2.2"), Now.AddDays(-40), Now.AddDays(10), BanOrigin.Jail, 5) { Evidence = [line] };
        await Commit(store, c =>
        {
            c.Bans.Add(new Ban("sshd", Host("192.0.2.1"), Now.AddDays(-40), Now.AddDays(-39), BanOrigin.Jail, 5) { Evidence = [line] });
            c.Bans.Add(lifted);
            c.Bans.Add(new Ban("sshd", Host("192.0.2.3"), Now.AddDays(-40), null, BanOrigin.Manual, 0));
            c.Bans.Add(new Ban("sshd", Host("192.0.2.4"), Now.AddDays(-40), Now.AddDays(-1), BanOrigin.Jail, 5));
        });
        await Commit(store, c => c.Lifted.Add((lifted, Now.AddDays(-35))));

        await Commit(store, c => c.PurgeHistoryBefore = Now.AddDays(-30));

        Assert.Empty(await store.BansOfAsync(Host("192.0.2.1"), 10, CancellationToken.None));
        Assert.Empty(await store.BansOfAsync(Host("192.0.2.2"), 10, CancellationToken.None));
        Assert.Single(await store.BansOfAsync(Host("192.0.2.3"), 10, CancellationToken.None));
        Assert.Single(await store.BansOfAsync(Host("192.0.2.4"), 10, CancellationToken.None));
        Assert.Equal(0L, Scalar(path, "SELECT count(*) FROM evidence"));
    }

    [Fact]
    public async Task Open_DatabaseOfSchema1_MigratesAndKeepsItsBans()
    {
        var path = _dir.File("old.db");
        CreateSchema1(path);

        using (var store = SqliteStateStore.Open(path))
        {
            var state = await store.LoadAsync(Now, CancellationToken.None);
            var kept = Assert.Single(state.Bans);
            Assert.Equal("192.0.2.5", AddressParsing.Format(kept.Target));
            Assert.Equal(Now.AddHours(1), kept.Expires);
            var past = Assert.Single(await store.BansOfAsync(Host("192.0.2.5"), 10, CancellationToken.None));
            Assert.Empty(past.Ban.Evidence);
            Assert.Equal(0, past.Ban.PriorBans);
            Assert.False(past.Ban.Observed);

            await Commit(store, c => c.Bans.Add(new Ban("sshd", Host("192.0.2.6"), Now, Now.AddHours(1), BanOrigin.Jail, 3) { Evidence = [new(Now, "s", "l")] }));
        }

        using var reopened = SqliteStateStore.Open(path);
        Assert.Equal("3", Scalar(path, "SELECT value FROM meta WHERE key = 'schema'"));
        Assert.Equal(2, (await reopened.LoadAsync(Now, CancellationToken.None)).Bans.Count);
        Assert.Equal("l", Assert.Single(Assert.Single(await reopened.BansOfAsync(Host("192.0.2.6"), 10, CancellationToken.None)).Ban.Evidence).Line);
    }

    [Fact]
    public async Task Commit_WouldBanOfAnObservingJail_IsReadBackAsSuchBesideAnEnforcedOne()
    {
        var path = _dir.File("shadow.db");
        using (var store = SqliteStateStore.Open(path))
        {
            await Commit(store, c =>
            {
                c.Bans.Add(new Ban("sshd", Host("192.0.2.7"), Now, Now.AddHours(1), BanOrigin.Jail, 3) { Observed = true });
                c.Bans.Add(new Ban("web", Host("192.0.2.7"), Now.AddSeconds(1), Now.AddHours(1), BanOrigin.Jail, 5));
            });
        }

        using var reopened = SqliteStateStore.Open(path);
        var bans = await reopened.BansOfAsync(Host("192.0.2.7"), 10, CancellationToken.None);
        Assert.Equal([("web", false), ("sshd", true)], bans.Select(b => (b.Ban.Jail, b.Ban.Observed)));
        Assert.Equal(1L, Scalar(path, "SELECT count(*) FROM bans WHERE observed = 1"));
    }

    public void Dispose() => _dir.Dispose();

    // The layout Warden wrote before evidence (schema 1), with one ban in force.
    private static void CreateSchema1(string path)
    {
        RuntimeHelpers.RunClassConstructor(typeof(SqliteStateStore).TypeHandle);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE bans (id INTEGER PRIMARY KEY, jail TEXT NOT NULL, target TEXT NOT NULL, start INTEGER NOT NULL,
                expires INTEGER, origin TEXT NOT NULL, failures INTEGER NOT NULL, lifted INTEGER);
            CREATE INDEX bans_open ON bans (jail, target) WHERE lifted IS NULL;
            CREATE INDEX bans_target ON bans (target, start);
            CREATE TABLE failures (jail TEXT NOT NULL, id TEXT NOT NULL, address TEXT, time INTEGER NOT NULL, attempts INTEGER NOT NULL);
            CREATE INDEX failures_key ON failures (jail, id);
            CREATE INDEX failures_time ON failures (time);
            CREATE TABLE checkpoints (source TEXT PRIMARY KEY, token TEXT NOT NULL, updated INTEGER NOT NULL);
            INSERT INTO meta VALUES ('schema', '1');
            INSERT INTO bans (jail, target, start, expires, origin, failures) VALUES
                ('sshd', '192.0.2.5/32', {Now.AddMinutes(-1).ToUnixTimeMilliseconds()}, {Now.AddHours(1).ToUnixTimeMilliseconds()}, 'Jail', 5);
            """;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static IPNetwork Host(string address) => AddressParsing.HostNetwork(IPAddress.Parse(address));

    private static IPNetwork Net(string network) => IPNetwork.Parse(network);

    private static Task Commit(SqliteStateStore store, Action<StateChanges> fill)
    {
        var changes = new StateChanges();
        fill(changes);
        return store.CommitAsync(changes, CancellationToken.None);
    }
}
