using Warden.Sources.Journal;
using Warden.TestKit;

namespace Warden.Sources.Tests.Journal;

public sealed class JournalLogSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-journal");
    private readonly JournalWriter _journal;

    public JournalLogSourceTests() => _journal = new JournalWriter(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadAsync_FirstRun_StartsAfterTheNewestEntry()
    {
        await _journal.WriteAsync(JournalWriter.Entry("old 1"), JournalWriter.Entry("old 2"));
        await using var run = await SourceRun.StartAsync(Source(), null);

        await _journal.WriteAsync(JournalWriter.Entry("Failed password for root from 192.0.2.7 port 22 ssh2"));

        await run.WaitForAsync(1);
        await run.AssertStaysAtAsync(1);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00 srv1 sshd\[4242\]: Failed password for root from 192\.0\.2\.7 port 22 ssh2$", run.Lines[0]);
    }

    [Fact]
    public async Task ReadAsync_FirstRunWithLookBack_ReadsEntriesWithinItThenNewOnes()
    {
        var now = DateTimeOffset.UtcNow;
        await _journal.WriteAsync(At(JournalWriter.Entry("an hour ago"), now.AddHours(-1)), At(JournalWriter.Entry("a minute ago"), now.AddMinutes(-1)));
        var source = JournalLogSource.Create(new JournalOptions { Directory = _dir.Path, TimeZone = TimeZoneInfo.Utc, FirstRunLookBack = TimeSpan.FromMinutes(10) });
        await using var run = await SourceRun.StartAsync(source, null);

        await _journal.WriteAsync(JournalWriter.Entry("now"));

        await run.WaitForAsync(2);
        await run.AssertStaysAtAsync(2);
        Assert.Equal(["a minute ago", "now"], run.Lines.Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public async Task ReadAsync_JournalMatch_ReadsOnlyMatchingEntries()
    {
        await _journal.WriteAsync(JournalWriter.Entry("before"));
        await using var run = await SourceRun.StartAsync(Source("_SYSTEMD_UNIT=sshd.service + _COMM=dropbear"), null);

        await _journal.WriteAsync(
            JournalWriter.Entry("from sshd"),
            JournalWriter.Entry("from cron", comm: "cron"),
            JournalWriter.Entry("from dropbear", comm: "dropbear"));

        await run.WaitForAsync(2);
        await run.AssertStaysAtAsync(2);
        Assert.EndsWith("sshd[4242]: from sshd", run.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("dropbear[4242]: from dropbear", run.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RestartAtCursor_ReadsOnlyEntriesAfterIt()
    {
        await _journal.WriteAsync(JournalWriter.Entry("before"));
        string checkpoint;
        await using (var run = await SourceRun.StartAsync(Source(), null))
        {
            await _journal.WriteAsync(JournalWriter.Entry("seen 1"));
            await run.WaitForAsync(1);
            checkpoint = await run.StopAsync();
        }

        await _journal.WriteAsync(JournalWriter.Entry("while down 1"), JournalWriter.Entry("while down 2"));
        await using var again = await SourceRun.StartAsync(Source(), checkpoint);
        await _journal.WriteAsync(JournalWriter.Entry("after restart"));

        await again.WaitForAsync(3);
        await again.AssertStaysAtAsync(3);
        Assert.Equal(["while down 1", "while down 2", "after restart"], again.Lines.Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public async Task ReadAsync_NoMatchingEntryYet_ReadsEverythingThatAppears()
    {
        await _journal.WriteAsync(JournalWriter.Entry("not sshd", comm: "cron"));
        await using var run = await SourceRun.StartAsync(Source("_COMM=sshd"), null);

        await _journal.WriteAsync(JournalWriter.Entry("first ever"));

        await run.WaitForAsync(1);
        Assert.EndsWith("sshd[4242]: first ever", run.Lines[0], StringComparison.Ordinal);
        Assert.Equal("j1 start", run.FirstCheckpoint);
    }

    [Theory]
    [InlineData("j1 garbage")]
    [InlineData("j1 s=zz;i=1")]
    [InlineData("f1 1:2 3 4:5 - /p")]
    public async Task ReadAsync_MalformedCheckpoint_StartsAfterTheNewestEntry(string checkpoint)
    {
        await _journal.WriteAsync(JournalWriter.Entry("old"));
        await using var run = await SourceRun.StartAsync(Source(), checkpoint);

        await _journal.WriteAsync(JournalWriter.Entry("new"));

        await run.WaitForAsync(1);
        await run.AssertStaysAtAsync(1);
        Assert.EndsWith(": new", run.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_JournalctlFails_ThrowsWithItsError()
    {
        var source = JournalLogSource.Create(new JournalOptions { Files = [_dir.File("missing.journal")], Journalctl = "/bin/false" });

        var error = await Assert.ThrowsAsync<Core.Ports.LogSourceException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(null, CancellationToken.None))
            {
            }
        });
        Assert.Contains("/bin/false", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> At(Dictionary<string, string> entry, DateTimeOffset time)
    {
        entry["__REALTIME_TIMESTAMP"] = (time.ToUnixTimeMilliseconds() * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return entry;
    }

    private JournalLogSource Source(string? match = null) => JournalLogSource.Create(new JournalOptions
    {
        Directory = _dir.Path,
        Match = JournalMatch.Parse(match),
        TimeZone = TimeZoneInfo.Utc,
    });
}
