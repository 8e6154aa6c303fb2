using BenchmarkDotNet.Attributes;
using Warden.Fail2Ban.Dates;

namespace Warden.Benchmarks;

/// <summary>
/// fail2ban's date detection alone, per line: finding the date (the detector's template order and
/// cached position, the fast readers for common shapes) and converting it to an instant.
/// </summary>
[MemoryDiagnoser]
public class DateBenchmarks
{
    private string[] _lines = [];
    private DateDetector _detector = null!;
    private DateContext _context = null!;

    [Params("syslog", "iso", "access-log", "syslog, default templates")]
    public string Shape { get; set; } = "syslog";

    [GlobalSetup]
    public void Setup()
    {
        var (log, patterns) = Shape switch
        {
            "syslog" => ("auth.log", new[] { "{^LN-BEG}" }),
            "iso" => ("auth-iso.log", ["{^LN-BEG}"]),
            "access-log" => ("access.log", [@"^[^\[]*\[({DATE})", "{^LN-BEG}"]),
            "syslog, default templates" => ("mail.log", []),
            _ => throw new ArgumentException(Shape),
        };
        _lines = SampleLogs.Read(log);
        _detector = new DateDetector(DateTime.UtcNow.Year);
        foreach (var pattern in patterns)
        {
            _detector.Append(pattern);
        }

        _context = new DateContext(TimeProvider.System, null);
    }

    [Benchmark(OperationsPerInvoke = SampleLogs.Lines, Description = "find")]
    public int Find()
    {
        var found = 0;
        foreach (var line in _lines)
        {
            if (_detector.MatchTime(line) is not null)
            {
                found++;
            }
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = SampleLogs.Lines, Description = "find + convert")]
    public double FindAndConvert()
    {
        var sum = 0.0;
        foreach (var line in _lines)
        {
            if (_detector.MatchTime(line) is { } hit)
            {
                sum += hit.GetTime(_context) ?? 0;
            }
        }

        return sum;
    }
}
