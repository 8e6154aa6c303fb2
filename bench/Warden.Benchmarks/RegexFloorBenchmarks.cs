using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.Regexes;

namespace Warden.Benchmarks;

/// <summary>
/// The regex work fail2ban's semantics leave for the stock sshd filter even with a perfect
/// prefilter: for each line some failregex matches (a failure, or an F-NOFAIL line the multi-line
/// state needs), the prefregex and that one failregex, with the groups read (what a failure
/// record needs). Nothing else: no reading, dates, screening or state. Per such line, on each
/// engine: .NET's compiled regex (the best .NET offers; what the former build-time generated
/// table ran) beside PCRE2 with JIT, the engine filters run on. Times the number of such lines
/// in the 1M-line log (341,614 of 1,000,000) it is the regex floor of <c>warden test</c>.
/// </summary>
[MemoryDiagnoser]
public class RegexFloorBenchmarks
{
    private const int Lines = 5_000;

    private readonly List<(string Line, int Fail)> _lines = [];
    private FilterRegex _pref = null!;
    private FilterRegex[] _fails = [];
    private Regex _dotnetPref = null!;
    private Regex[] _dotnetFails = [];

    [GlobalSetup]
    public void Setup()
    {
        var definition = new FilterLoader(["/etc/fail2ban"], TimeProvider.System, includeShipped: false).Load("sshd");
        _pref = definition.PrefRegex!;
        _fails = [.. definition.FailRegexes];
        _dotnetPref = DotNet(_pref);
        _dotnetFails = [.. _fails.Select(DotNet)];
        var content = _pref.Regex.Pattern.GroupNumber("content");
        foreach (var raw in SampleLogs.Read("auth.log"))
        {
            // The syslog date ("Nov 23 09:33:58") is cut, as fail2ban cuts it before matching.
            var line = raw[15..] + "\n";
            if (_pref.Regex.Match(line, out _)?.Value(content) is not { } text)
            {
                continue;
            }

            var fail = Array.FindIndex(_fails, f => f.Regex.IsMatch(text));
            if (fail >= 0 && _lines.Count < Lines)
            {
                _lines.Add((line, fail));
            }
        }

        if (_lines.Count < Lines)
        {
            throw new InvalidOperationException($"only {_lines.Count} matching lines in the sample, {Lines} needed");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines, Description = ".NET compiled: prefregex + matching failregex, per matching line")]
    public int DotNetCompiled()
    {
        var total = 0;
        foreach (var (line, fail) in _lines)
        {
            var pref = _dotnetPref.Match(line);
            foreach (var name in _pref.Names)
            {
                total += pref.Groups[name].Value.Length;
            }

            var match = _dotnetFails[fail].Match(pref.Groups["content"].Value);
            foreach (var name in _fails[fail].Names)
            {
                total += match.Groups[name].Value.Length;
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines, Description = "PCRE2 JIT: prefregex + matching failregex, per matching line")]
    public int Pcre2Jit()
    {
        var total = 0;
        foreach (var (line, fail) in _lines)
        {
            var pref = _pref.Regex.Match(line, out _)!;
            string? content = null;
            for (var i = 0; i < _pref.Names.Count; i++)
            {
                var value = pref.Value(_pref.GroupNumbers[i]);
                total += value?.Length ?? 0;
                if (_pref.Names[i] == "content")
                {
                    content = value;
                }
            }

            var regex = _fails[fail];
            var match = regex.Regex.Match(content + "\n", out _)!;
            foreach (var number in regex.GroupNumbers)
            {
                total += match.Value(number)?.Length ?? 0;
            }
        }

        return total;
    }

    private static Regex DotNet(FilterRegex regex)
    {
        var translated = PythonRegex.Translate(regex.Expanded, keepUnnamedGroups: false);
        return new Regex(translated.Pattern, translated.Options | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }
}
