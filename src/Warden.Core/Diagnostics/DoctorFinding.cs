namespace Warden.Core.Diagnostics;

/// <summary>One thing <c>warden doctor</c> found.</summary>
/// <param name="Area">What was looked at: <c>nftables</c>, <c>docker</c>, <c>bridges</c>, ...</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Found">What was found, in one sentence.</param>
/// <param name="Fix">The exact command or setting that fixes it; null when nothing is to be done.</param>
public sealed record DoctorFinding(string Area, DoctorSeverity Severity, string Found, string? Fix = null)
{
    public static DoctorFinding Ok(string area, string found) => new(area, DoctorSeverity.Ok, found);

    public static DoctorFinding Info(string area, string found) => new(area, DoctorSeverity.Info, found);

    public static DoctorFinding Warning(string area, string found, string fix) => new(area, DoctorSeverity.Warning, found, fix);

    public static DoctorFinding Problem(string area, string found, string fix) => new(area, DoctorSeverity.Problem, found, fix);
}
