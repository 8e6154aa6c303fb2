using Warden.Core.Ports;
using Warden.TestKit;

namespace Warden.Store.Sqlite.Tests;

/// <summary>A state file SQLite cannot read, or one quick_check finds damaged (issue 14, finding 9).</summary>
public sealed class CorruptStateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("garbage")]
    [InlineData("damaged page")]
    public async Task Open_CorruptFile_IsAnErrorWithTheFixOrIsMovedAside(string how)
    {
        var path = _dir.File("warden.db");
        await CorruptAsync(path, how);
        var original = await File.ReadAllBytesAsync(path);

        var error = Assert.Throws<StateStoreException>(() => SqliteStateStore.Open(path));
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains("moves it aside", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, await File.ReadAllBytesAsync(path));

        using var store = SqliteStateStore.Open(path, moveCorruptAside: true);
        var (aside, problem) = Assert.NotNull(store.MovedAside);
        Assert.StartsWith(path + ".corrupt-", aside, StringComparison.Ordinal);
        Assert.NotEmpty(problem);
        Assert.Equal(original, await File.ReadAllBytesAsync(aside));
        Assert.True(store.Created);
        Assert.Empty((await store.LoadAsync(DateTimeOffset.UtcNow, CancellationToken.None)).Bans);
    }

    [Fact]
    public void Open_SoundFile_MovesNothing()
    {
        var path = _dir.File("warden.db");
        using (SqliteStateStore.Open(path))
        {
        }

        using var store = SqliteStateStore.Open(path, moveCorruptAside: true);
        Assert.Null(store.MovedAside);
        Assert.False(store.Created);
        Assert.Single(Directory.GetFiles(_dir.Path, "warden.db*"), f => f.EndsWith("warden.db", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task CorruptAsync(string path, string how)
    {
        if (how == "garbage")
        {
            await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))]);
            return;
        }

        using (var store = SqliteStateStore.Open(path))
        {
            var changes = new StateChanges();
            changes.Bans.AddRange(TestBans.Hosts(2000).Select(h => TestBans.Of("sshd", h, TimeSpan.FromHours(1))));
            await store.CommitAsync(changes, CancellationToken.None);
        }

        // Overwrite a page in the middle of the file (not the header page) with garbage.
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = file.Length / 2 / 4096 * 4096;
        file.Write([.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 13 + 1))]);
    }
}
