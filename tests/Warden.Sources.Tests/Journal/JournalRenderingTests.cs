using Warden.Sources.Journal;
using Warden.TestKit;

namespace Warden.Sources.Tests.Journal;

/// <summary>
/// Warden's rendering of journal entries against fail2ban's own: the same journal file is read by
/// fail2ban's FilterSystemd.formatJournalEntry (through python3-systemd) and by the journal source.
/// </summary>
public sealed class JournalRenderingTests : IDisposable
{
    // Calls fail2ban's formatter directly; the stand-in object gives it the two methods it uses.
    private const string Fail2BanRenderer = """
        import sys
        from systemd import journal
        from fail2ban.server.filtersystemd import FilterSystemd
        class Jail:
            jailName = 'render'
            def getLogEncoding(self): return 'utf-8'
            getJrnEntTime = FilterSystemd.getJrnEntTime
        for entry in journal.Reader(path=sys.argv[1]):
            print(''.join(FilterSystemd.formatJournalEntry(Jail(), entry)[0]))
        """;

    private readonly TempDirectory _dir = new("warden-journal");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadAsync_VariedEntries_RendersAsFail2BanDoes()
    {
        var journal = new JournalWriter(_dir.Path);
        await journal.WriteAsync(
            Fields(1_700_000_000_123_456, ("_HOSTNAME", "srv1"), ("SYSLOG_IDENTIFIER", "sshd"), ("_PID", "4242"), ("_COMM", "sshd"), ("MESSAGE", "Failed password for root from 192.0.2.7 port 22 ssh2")),
            Fields(1_700_000_002_000_000, ("_HOSTNAME", "srv1"), ("SYSLOG_IDENTIFIER", "kernel"), ("MESSAGE", "IN=eth0 OUT= SRC=192.0.2.9 DST=10.0.0.1 PROTO=TCP SPT=4444 DPT=23")),
            Fields(1_700_000_003_000_001, ("SYSLOG_IDENTIFIER", "kernel"), ("_SOURCE_MONOTONIC_TIMESTAMP", "5999000"), ("MESSAGE", "no host")),
            Fields(1_700_000_004_000_000, ("_HOSTNAME", "srv1"), ("_COMM", "cron"), ("_PID", "0042"), ("MESSAGE", "multi\nline")),
            Fields(1_700_000_005_000_000, ("_HOSTNAME", "srv1"), ("SYSLOG_IDENTIFIER", "postfix/smtpd"), ("SYSLOG_PID", "77"), ("_PID", "78"), ("MESSAGE", "warning: unknown[192.0.2.1]: SASL LOGIN authentication failed")),
            Fields(1_700_000_006_000_000, ("_SOURCE_REALTIME_TIMESTAMP", "1699999999500000"), ("MESSAGE", "no ident")),
            Fields(1_700_000_007_000_000, ("_HOSTNAME", "srv1"), ("SYSLOG_IDENTIFIER", "app"), ("MESSAGE", "ünïcödé ✓")));
        var script = _dir.Write("render.py", Fail2BanRenderer);
        var fail2ban = (await Proc.RunAsync("/usr/bin/python3", [script, _dir.Path], env: new Dictionary<string, string> { ["TZ"] = "UTC" })).EnsureSuccess();

        var source = JournalLogSource.Create(new JournalOptions { Directory = _dir.Path, TimeZone = TimeZoneInfo.Utc });
        await using var run = await SourceRun.StartAsync(source, "j1 start");
        await run.WaitForAsync(7);

        var expected = fail2ban.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, expected.Length);
        Assert.Equal(expected, run.Lines);
    }

    [Theory]
    [InlineData("_SYSTEMD_UNIT=sshd.service + _COMM=sshd", 3)]
    [InlineData("", 0)]
    [InlineData("  _COMM=sshd   _PID=1 ", 2)]
    public void Parse_ValidMatch_KeepsTerms(string text, int terms) =>
        Assert.Equal(terms, JournalMatch.Parse(text).Terms.Count);

    [Theory]
    [InlineData("--file=/etc/shadow")]
    [InlineData("_comm=sshd")]
    [InlineData("sshd")]
    [InlineData("+ _COMM=sshd")]
    [InlineData("_COMM=sshd +")]
    [InlineData("1X=y")]
    public void Parse_BadMatch_Throws(string text) =>
        Assert.Throws<FormatException>(() => JournalMatch.Parse(text));

    // The fuzzer's finding (tests/Warden.Fuzz/crashers/journal): a byte array holding a string
    // threw InvalidOperationException; such an element is now shown as '?'.
    [Theory]
    [InlineData("""{"__REALTIME_TIMESTAMP":"1","MESSAGE":[70,97,",",108]}""", "Fa?l")]
    [InlineData("""{"__REALTIME_TIMESTAMP":"1","MESSAGE":[70,300,null,{},108]}""", "F???l")]
    [InlineData("""{"__REALTIME_TIMESTAMP":"1","MESSAGE":[[70,97],"x"]}""", "Fa x")]
    public void Parse_MalformedByteArray_RendersOtherElementsAsQuestionMarks(string json, string message)
    {
        var entry = JournalEntry.Parse(json);

        Assert.NotNull(entry);
        Assert.EndsWith(" " + message, entry.Render(TimeZoneInfo.Utc), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Fields(long realtime, params (string Key, string Value)[] fields)
    {
        var map = fields.ToDictionary(f => f.Key, f => f.Value);
        map["__REALTIME_TIMESTAMP"] = realtime.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return map;
    }
}
