using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.FilterRun;

namespace Warden.Fail2Ban.Tests.FilterRun;

public sealed class FilterTesterTests
{
    private const string Log = """
        Nov 23 01:24:01 srv1 sshd[1]: Failed password for root from 192.0.2.10 port 1 ssh2
        # a comment line
        Nov 23 01:24:02 srv1 sshd[2]: Accepted password for alice from 198.51.100.7 port 2 ssh2

        Nov 23 01:24:03 srv1 sshd[3]: Invalid user admin from 192.0.2.10 port 3
        Nov 23 01:24:04 srv1 sshd[4]: Invalid user test from 2001:db8::1 port 4
        """;

    [Fact]
    public void Run_SmallLog_CountsLikeFail2BanRegex()
    {
        var report = Run(Log, out _);

        Assert.Equal(6, report.Lines);
        Assert.Equal(3, report.Matched);
        Assert.Equal(0, report.Ignored);
        Assert.Equal(3, report.Missed);
        Assert.Equal(("192.0.2.10", 2L), report.TopIds[0]);
        Assert.Equal(2, report.DistinctIds);
    }

    [Fact]
    public void JsonWriter_Run_WritesLinesMatchedAndFailuresWithIsoTimes()
    {
        using var output = new MemoryStream();
        var report = Run(Log, out var definition, output);

        using var json = JsonDocument.Parse(output.ToArray());
        var root = json.RootElement;
        Assert.Equal(6, root.GetProperty("lines").GetInt64());
        Assert.Equal(3, root.GetProperty("matched").GetInt64());
        var failures = root.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(3, failures.Count);
        Assert.Equal(1, failures[0].GetProperty("line").GetInt64());
        Assert.Equal("192.0.2.10", failures[0].GetProperty("id").GetString());
        Assert.Equal("2026-11-23T01:24:01+00:00", failures[0].GetProperty("time").GetString());
        Assert.Equal(6, failures[2].GetProperty("line").GetInt64());
        Assert.Equal("2001:db8::1", failures[2].GetProperty("id").GetString());
        Assert.Equal(report.RegexHits.Count, root.GetProperty("regexes").GetArrayLength());
        Assert.NotNull(definition);
    }

    [Fact]
    public void TextWriter_Run_PrintsSummaryLine()
    {
        var report = Run(Log, out var definition);
        var text = new StringWriter();

        FilterTestTextWriter.Write(text, definition, "auth.log", report);

        Assert.Contains("Lines: 6 lines, 0 ignored, 3 matched, 3 missed", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("192.0.2.10", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LongLogWithHugeLine_ReadsEverythingInBoundedBuffers()
    {
        var builder = new StringBuilder();
        builder.Append(new string('x', 200_000)).Append('\n');
        for (var i = 0; i < 20_000; i++)
        {
            builder.Append("Nov 23 01:24:01 srv1 sshd[1]: Failed password for root from 192.0.2.").Append(i % 250).Append(" port 1 ssh2\n");
        }

        var report = Run(builder.ToString(), out _);

        Assert.Equal(20_001, report.Lines);
        Assert.Equal(20_000, report.Matched);
    }

    [Fact]
    public void Run_ParallelAndSequential_GiveTheSameFailuresInOrder()
    {
        var builder = new StringBuilder();
        var random = new Random(7);
        string[] templates =
        [
            "Nov 23 01:{0:00}:{1:00} srv1 sshd[{2}]: Failed password for invalid user u{2} from 192.0.2.{3} port {2} ssh2",
            "Nov 23 01:{0:00}:{1:00} srv1 sshd[{2}]: Accepted publickey for alice from 198.51.100.{3} port {2} ssh2",
            "Nov 23 01:{0:00}:{1:00} srv1 CRON[{2}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
            "Nov 23 01:{0:00}:{1:00} srv1 sshd[{2}]: Invalid user admin from 2001:db8::{3:x} port {2}",
            "garbage line without a date {2}",
            "",
        ];
        for (var i = 0; i < 30_000; i++)
        {
            builder.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], i / 600 % 60, i / 10 % 60, i, random.Next(1, 250)).Append('\n');
        }

        var log = builder.ToString();
        var sequential = Collect(log, parallel: false);
        var parallel = Collect(log, parallel: true);

        Assert.NotEmpty(sequential.Failures);
        Assert.Equal(sequential.Failures, parallel.Failures);
        Assert.Equal(sequential.Report.Lines, parallel.Report.Lines);
        Assert.Equal(sequential.Report.Matched, parallel.Report.Matched);
        Assert.Equal(sequential.Report.Missed, parallel.Report.Missed);
    }

    private static (FilterTestReport Report, List<FilterTestFailure> Failures) Collect(string log, bool parallel)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var definition = new FilterLoader([], time).Load("sshd");
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(log));
        var failures = new List<FilterTestFailure>();
        var report = new FilterTester(definition, new FilterTestOptions(Parallel: parallel)).Run(input, failures.Add);
        return (report, failures);
    }

    [Fact]
    public void Run_OneHugeLine_CountsItOnce()
    {
        // A 5 MiB line (5 of the reader's 1 MiB buffers) is one line, cut at 64 KiB: it once
        // counted as 5 lines (100 for a 100 MB line), its tail read again and again as new lines.
        var huge = "Nov 23 01:24:00 srv1 app[9]: " + new string('x', 5 << 20);
        var report = Run(huge + "\n" + Log, out _);

        Assert.Equal(7, report.Lines);
        Assert.Equal(3, report.Matched);
        Assert.Equal(Encoding.UTF8.GetByteCount(huge + "\n" + Log), report.Bytes);
    }

    private static FilterTestReport Run(string log, out FilterDefinition definition, Stream? json = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        definition = new FilterLoader([], time).Load("sshd");
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(log));
        if (json is null)
        {
            return new FilterTester(definition).Run(input);
        }

        using var writer = new FilterTestJsonWriter(json, TimeZoneInfo.Utc);
        var report = new FilterTester(definition).Run(input, writer.WriteFailure);
        writer.Complete(report);
        return report;
    }
}
