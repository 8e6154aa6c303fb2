using System.Globalization;
using Warden.Fail2Ban.Filters;

namespace Warden.Fail2Ban.FilterRun;

/// <summary>Writes <c>warden test</c>'s human summary, laid out like fail2ban-regex's.</summary>
public static class FilterTestTextWriter
{
    /// <summary>Writes the summary of a run.</summary>
    public static void Write(TextWriter output, FilterDefinition definition, string log, FilterTestReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine("Running tests");
        output.WriteLine("=============");
        output.WriteLine();
        output.WriteLine($"Use      filter : {definition.Name}{(definition.Files.Count > 0 ? " (" + string.Join(", ", definition.Files) + ")" : string.Empty)}");
        if (definition.DatePatterns.Count > 0)
        {
            output.WriteLine($"Use datepattern : {string.Join(" | ", definition.DatePatterns)}");
        }

        output.WriteLine($"Use    log file : {log}");
        output.WriteLine();
        output.WriteLine("Results");
        output.WriteLine("=======");
        output.WriteLine();
        output.WriteLine(string.Create(inv, $"Failregex: {report.Failures} total"));
        output.WriteLine("|-  #) [# of hits] regular expression");
        for (var i = 0; i < report.RegexHits.Count; i++)
        {
            var (regex, hits) = report.RegexHits[i];
            output.WriteLine(string.Create(inv, $"|  {i + 1,2}) [{hits}] {regex}"));
        }

        output.WriteLine("`-");
        output.WriteLine();
        output.WriteLine(string.Create(inv, $"Ignoreregex: {report.IgnoreRegexes.Count} regex(es)"));
        for (var i = 0; i < report.IgnoreRegexes.Count; i++)
        {
            output.WriteLine(string.Create(inv, $"|  {i + 1,2}) {report.IgnoreRegexes[i]}"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(inv, $"Lines: {report.Lines} lines, {report.Ignored} ignored, {report.Matched} matched, {report.Missed} missed"));
        var rate = report.Elapsed.TotalSeconds > 0 ? report.Lines / report.Elapsed.TotalSeconds : 0;
        output.WriteLine(string.Create(inv, $"[processed in {report.Elapsed.TotalSeconds:0.000} sec, {rate:0} lines/s]"));
        if (report.RegexLimitHits > 0)
        {
            output.WriteLine(string.Create(inv, $"Regex matches stopped at a PCRE2 limit: {report.RegexLimitHits}"));
        }

        if (report.TopIds.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(inv, $"Top addresses/ids ({report.DistinctIds} distinct):"));
            foreach (var (id, count) in report.TopIds)
            {
                output.WriteLine(string.Create(inv, $"  {count,10}  {id}"));
            }
        }
    }
}
