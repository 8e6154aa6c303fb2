using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Warden.Fail2Ban.Filters;

namespace Warden.Benchmarks;

/// <summary>
/// The regex work fail2ban's semantics leave for the stock sshd filter even with a perfect
/// prefilter: for each line some failregex matches (a failure, or an F-NOFAIL line the multi-line
/// state needs), the prefregex and that one failregex, with the groups read (what a failure
/// record needs). Nothing else: no reading, dates, screening or state. Per such line; times the
/// number of such lines in the 1M-line log (341,614 of 1,000,000) it is the CPU floor of
/// <c>warden test</c> with .NET's regex engine, to set against the detection target (the
/// fail2ban-regex time divided by 100, on 2 cores).
/// </summary>
[MemoryDiagnoser]
public class RegexFloorBenchmarks
{
    private const int Lines = 5_000;

    private readonly List<(string Line, Regex Fail)> _lines = [];
    private Regex _pref = null!;
    private string[] _prefNames = [];

    [GlobalSetup]
    public void Setup()
    {
        var definition = new FilterLoader(["/etc/fail2ban"], TimeProvider.System, includeShipped: false).Load("sshd");
        _pref = definition.PrefRegex!.Regex.Regex;
        _prefNames = [.. definition.PrefRegex.Names];
        var fails = definition.FailRegexes.Select(r => r.Regex.Regex).ToArray();
        foreach (var raw in SampleLogs.Read("auth.log"))
        {
            // The syslog date ("Nov 23 09:33:58") is cut, as fail2ban cuts it before matching.
            var line = raw[15..];
            var pref = _pref.Match(line);
            if (!pref.Success)
            {
                continue;
            }

            var content = pref.Groups["content"].Value;
            var fail = fails.FirstOrDefault(f => f.IsMatch(content));
            if (fail is not null && _lines.Count < Lines)
            {
                _lines.Add((line, fail));
            }
        }

        if (_lines.Count < Lines)
        {
            throw new InvalidOperationException($"only {_lines.Count} matching lines in the sample, {Lines} needed");
        }
    }

    [Benchmark(OperationsPerInvoke = Lines, Description = "prefregex + matching failregex, per matching line")]
    public int Floor()
    {
        var total = 0;
        foreach (var (line, fail) in _lines)
        {
            var pref = _pref.Match(line);
            foreach (var name in _prefNames)
            {
                total += pref.Groups[name].Value.Length;
            }

            var match = fail.Match(pref.Groups["content"].Value);
            for (var i = 1; i < match.Groups.Count; i++)
            {
                total += match.Groups[i].Value.Length;
            }
        }

        return total;
    }
}
