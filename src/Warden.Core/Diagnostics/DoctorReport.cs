using System.Text;

namespace Warden.Core.Diagnostics;

/// <summary>Everything <c>warden doctor</c> found; ok when nothing is a problem. Immutable.</summary>
public sealed class DoctorReport(IReadOnlyList<DoctorFinding> findings)
{
    public IReadOnlyList<DoctorFinding> Findings { get; } = findings ?? throw new ArgumentNullException(nameof(findings));

    /// <summary>True when no finding is a <see cref="DoctorSeverity.Problem"/>.</summary>
    public bool IsOk => Findings.All(f => f.Severity != DoctorSeverity.Problem);

    /// <summary>The report as text: one line per finding, its fix indented below it, a verdict last.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var finding in Findings)
        {
            var mark = finding.Severity switch
            {
                DoctorSeverity.Ok => "ok     ",
                DoctorSeverity.Info => "info   ",
                DoctorSeverity.Warning => "warning",
                _ => "PROBLEM",
            };
            text.Append(mark).Append("  [").Append(finding.Area).Append("] ").Append(finding.Found).Append('\n');
            if (finding.Fix is { } fix)
            {
                text.Append("         fix: ").Append(fix).Append('\n');
            }
        }

        var problems = Findings.Count(f => f.Severity == DoctorSeverity.Problem);
        text.Append(problems == 0 ? "doctor: ok\n" : $"doctor: not ok ({problems} problem{(problems == 1 ? string.Empty : "s")})\n");
        return text.ToString();
    }
}
