using BenchmarkDotNet.Attributes;
using Warden.Core.Detections;
using Warden.Fail2Ban.Filters;

namespace Warden.Benchmarks;

/// <summary>
/// One filter over the first 20,000 lines of a genlog log, per line (a failure or not, as the log
/// mixes them): fail2ban's stock filters from /etc/fail2ban/filter.d and Warden's own.
/// </summary>
[MemoryDiagnoser]
public class MatcherBenchmarks
{
    private string[] _lines = [];
    private FilterInstance _filter = null!;
    private readonly List<Detection> _detections = [];

    [Params("sshd", "sshd (own)", "sshd on iso dates", "nginx-botsearch", "postfix[mode=auth]", "dovecot (own)")]
    public string Filter { get; set; } = "sshd";

    [GlobalSetup]
    public void Setup()
    {
        var (log, reference, stock) = Filter switch
        {
            "sshd" => ("auth.log", "sshd", true),
            "sshd (own)" => ("auth.log", "sshd", false),
            "sshd on iso dates" => ("auth-iso.log", "sshd", true),
            "nginx-botsearch" => ("access.log", "nginx-botsearch", true),
            "postfix[mode=auth]" => ("mail.log", "postfix[mode=auth]", true),
            "dovecot (own)" => ("mail.log", "dovecot", false),
            _ => throw new ArgumentException(Filter),
        };
        _lines = SampleLogs.Read(log);
        var loader = stock
            ? new FilterLoader(["/etc/fail2ban"], TimeProvider.System, includeShipped: false)
            : new FilterLoader([], TimeProvider.System);
        _filter = loader.Load(reference).CreateFilter(new FilterBehavior(DateFallbackToNow: false));
    }

    [Benchmark(OperationsPerInvoke = SampleLogs.Lines, Description = "per line")]
    public int Process()
    {
        var found = 0;
        foreach (var line in _lines)
        {
            _detections.Clear();
            _filter.Process(line, _detections);
            found += _detections.Count;
        }

        return found;
    }
}
