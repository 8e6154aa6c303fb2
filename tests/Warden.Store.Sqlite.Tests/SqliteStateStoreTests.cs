using System.Net;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Store.Sqlite.Tests;

public sealed class SqliteStateStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task CommitAsync_ThenReopen_LoadsActiveBansFailuresAndCheckpoints()
    {
        var path = _dir.File("state/warden.db");
        using (var store = SqliteStateStore.Open(path))
        {
            var changes = new StateChanges();
            changes.Bans.Add(Ban("192.0.2.1", expires: Now.AddHours(1)));
            changes.Bans.Add(Ban("2001:db8::/64", expires: null));
            changes.Bans.Add(Ban("192.0.2.2", expires: Now.AddMinutes(-1)));
            changes.Failures.Add(new StoredFailure("sshd", "198.51.100.4", IPAddress.Parse("198.51.100.4"), Now, 1));
            changes.Checkpoints.Add(new SourceCheckpoint("file:/var/log/auth.log", "a"));
            changes.Checkpoints.Add(new SourceCheckpoint("file:/var/log/auth.log", "b"));
            await store.CommitAsync(changes, CancellationToken.None);
        }

        using var reopened = SqliteStateStore.Open(path);
        var state = await reopened.LoadAsync(Now, CancellationToken.None);

        Assert.Equal(["192.0.2.1", "2001:db8::/64"], state.Bans.Select(b => AddressParsing.Format(b.Target)).Order());
        Assert.Null(state.Bans.Single(b => b.Target.PrefixLength == 64).Expires);
        var failure = Assert.Single(state.Failures);
        Assert.Equal(IPAddress.Parse("198.51.100.4"), failure.Address);
        Assert.Equal(Now, failure.Time);
        Assert.Equal("b", Assert.Single(state.Checkpoints).Token);
    }

    [Fact]
    public async Task CommitAsync_ThenReopen_ABanKeepsWhoMadeIt()
    {
        // A fleet ban's origin node decides whose tombstone lifts it, also after a restart.
        var path = _dir.File("warden.db");
        using (var store = SqliteStateStore.Open(path))
        {
            await Commit(store, c =>
            {
                c.Bans.Add(new Ban("sshd", AddressParsing.HostNetwork(IPAddress.Parse("192.0.2.1")), Now, Now.AddHours(1), BanOrigin.Fleet, 0) { By = "a" });
                c.Bans.Add(new Ban("sshd", AddressParsing.HostNetwork(IPAddress.Parse("192.0.2.2")), Now, Now.AddHours(1), BanOrigin.Fleet, 0) { By = "c" });
                c.Bans.Add(Ban("192.0.2.3", Now.AddHours(1)));
            });
        }

        using var reopened = SqliteStateStore.Open(path);
        var state = await reopened.LoadAsync(Now, CancellationToken.None);

        Assert.Equal(["192.0.2.1 a", "192.0.2.2 c", "192.0.2.3 -"], state.Bans.Select(b => $"{AddressParsing.Format(b.Target)} {b.By ?? "-"}").Order());
    }

    [Fact]
    public async Task CommitAsync_NewBanOfSameTarget_SupersedesOldOne()
    {
        using var store = SqliteStateStore.Open(_dir.File("warden.db"));
        await Commit(store, c => c.Bans.Add(Ban("192.0.2.1", Now.AddHours(1))));
        await Commit(store, c => c.Bans.Add(Ban("192.0.2.1", Now.AddHours(5))));

        var state = await store.LoadAsync(Now, CancellationToken.None);

        Assert.Equal(Now.AddHours(5), Assert.Single(state.Bans).Expires);
        Assert.Equal(2, store.History(AddressParsing.HostNetwork(IPAddress.Parse("192.0.2.1"))).Count);
    }

    [Fact]
    public async Task CommitAsync_LiftedBan_IsNotLoaded()
    {
        using var store = SqliteStateStore.Open(_dir.File("warden.db"));
        var ban = Ban("192.0.2.1", Now.AddHours(1));
        await Commit(store, c => c.Bans.Add(ban));
        await Commit(store, c => c.Lifted.Add((ban, Now)));

        var state = await store.LoadAsync(Now, CancellationToken.None);

        Assert.Empty(state.Bans);
    }

    [Fact]
    public async Task CommitAsync_ClearedAndPrunedFailures_AreGone()
    {
        using var store = SqliteStateStore.Open(_dir.File("warden.db"));
        await Commit(store, c =>
        {
            c.Failures.Add(new StoredFailure("sshd", "a", null, Now.AddHours(-2), 1));
            c.Failures.Add(new StoredFailure("sshd", "b", null, Now, 1));
            c.Failures.Add(new StoredFailure("sshd", "c", null, Now, 2));
        });
        await Commit(store, c =>
        {
            c.ClearedFailures.Add(("sshd", "b"));
            c.PruneFailuresBefore = Now.AddHours(-1);
        });

        var state = await store.LoadAsync(Now, CancellationToken.None);

        var left = Assert.Single(state.Failures);
        Assert.Equal("c", left.Id);
        Assert.Equal(2, left.Attempts);
    }

    [Fact]
    public void Open_NotADatabase_ThrowsNamingThePath()
    {
        var path = _dir.Write("garbage.db", new string('x', 4096));

        var ex = Assert.Throws<StateStoreException>(() => SqliteStateStore.Open(path));

        Assert.Equal(path, ex.Location);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoryAsync_LiftedSupersededAndExpiredBans_EndWhenTheyReallyEnded()
    {
        using var store = SqliteStateStore.Open(_dir.File("warden.db"));
        var target = AddressParsing.HostNetwork(IPAddress.Parse("192.0.2.1"));
        var first = Ban("192.0.2.1", Now.AddMinutes(-1)) with { Start = Now.AddHours(-3), Expires = Now.AddHours(-2) };
        var lifted = Ban("192.0.2.1", Now.AddHours(1)) with { Start = Now.AddMinutes(-30) };
        var permanent = Ban("192.0.2.1", null) with { Jail = "recidive", Start = Now.AddMinutes(-10) };
        await Commit(store, c => c.Bans.Add(first));
        await Commit(store, c => c.Bans.Add(lifted));
        await Commit(store, c => c.Lifted.Add((lifted, Now.AddMinutes(-20))));
        await Commit(store, c => c.Bans.Add(permanent));
        await Commit(store, c => c.Bans.Add(Ban("192.0.2.2", Now.AddHours(1))));

        var history = await store.HistoryAsync(target, 10, CancellationToken.None);

        Assert.Equal(["recidive", "sshd", "sshd"], history.Select(h => h.Ban.Jail));
        Assert.Equal([null, Now.AddMinutes(-20), Now.AddHours(-2)], history.Select(h => h.Ended));
        Assert.Single(await store.HistoryAsync(target, 1, CancellationToken.None));
    }

    public void Dispose() => _dir.Dispose();

    private static Ban Ban(string target, DateTimeOffset? expires)
    {
        Assert.True(AddressParsing.TryParseNetwork(target, out var network));
        return new Ban("sshd", network, Now.AddMinutes(-5), expires, BanOrigin.Jail, 3);
    }

    private static Task Commit(SqliteStateStore store, Action<StateChanges> fill)
    {
        var changes = new StateChanges();
        fill(changes);
        return store.CommitAsync(changes, CancellationToken.None);
    }
}
