using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Jails;
using Warden.TestKit;

namespace Warden.Store.Sqlite.Tests;

/// <summary>A state file deleted, emptied or replaced under a running engine (issue 14, finding 1).</summary>
public sealed class StateFileLossTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Open_MissingOrEmptyFile_SaysCreated()
    {
        var path = _dir.File("warden.db");
        using (var store = SqliteStateStore.Open(path))
        {
            Assert.True(store.Created);
        }

        using (var again = SqliteStateStore.Open(path))
        {
            Assert.False(again.Created);
        }

        var empty = _dir.File("empty.db");
        File.WriteAllBytes(empty, []);
        using var fromEmpty = SqliteStateStore.Open(empty);
        Assert.True(fromEmpty.Created);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("replace")]
    public async Task Engine_StateFileGoneWhileRunning_RecreatesItFromMemory(string how)
    {
        var path = _dir.File("state/warden.db");
        var firewall = new InMemoryFirewall();
        var source = new QueueLogSource();
        var log = new RecordingLogger();
        using (var store = SqliteStateStore.Open(path))
        {
            await using var engines = new EngineHarness(TimeProvider.System, firewall, store) { History = store, Logger = log };
            var jail = new Jail(new JailPolicy("sshd", 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty), new FakeLineFilter(TimeProvider.System));
            var engine = await engines.StartAsync(jail, source);
            foreach (var host in TestBans.Hosts(300))
            {
                source.Write(FakeLineFilter.Line(host), FakeLineFilter.Line(host), FakeLineFilter.Line(host));
            }

            await Eventually.TrueAsync(() => store.History(AddressParsing.HostNetwork(System.Net.IPAddress.Parse("10.0.1.44"))).Count == 1, EngineHarness.Wait, "bans committed");

            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            if (how == "replace")
            {
                using var other = SqliteStateStore.Open(path);
            }

            // The batch that notices holds changes of its own: two failures of .200 (which the
            // tracker counts too) and a ban of .201 with its evidence (which the book holds too).
            source.Write(FakeLineFilter.Line("192.0.2.200"), FakeLineFilter.Line("192.0.2.200"));
            source.Write(FakeLineFilter.Line("192.0.2.201"), FakeLineFilter.Line("192.0.2.201"), FakeLineFilter.Line("192.0.2.201"));
            await Eventually.TrueAsync(() => log.Lines.Any(l => l.Level == LogLevel.Warning && l.Text.Contains("while Warden ran", StringComparison.Ordinal)), EngineHarness.Wait, "loss noticed");
            source.Write("more noise");
            await Eventually.TrueAsync(() => engine.Stats.Lines == 906, EngineHarness.Wait, "every line read");
            Assert.Equal(301, firewall.Bans.Count);
            await engines.StopAllAsync();
        }

        using var reopened = SqliteStateStore.Open(path);
        var state = await reopened.LoadAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(301, state.Bans.Count);
        Assert.Equal(2, state.Failures.Count(f => f.Id == "192.0.2.200"));
        var kept = Assert.Single(await reopened.BansOfAsync(AddressParsing.HostNetwork(System.Net.IPAddress.Parse("192.0.2.201")), 10, CancellationToken.None));
        Assert.Equal(3, kept.Ban.Evidence.Count);
        Assert.Equal("906", Assert.Single(state.Checkpoints).Token);
    }

    public void Dispose() => _dir.Dispose();
}
