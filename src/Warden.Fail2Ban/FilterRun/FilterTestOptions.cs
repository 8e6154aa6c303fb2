namespace Warden.Fail2Ban.FilterRun;

/// <summary>How <c>warden test</c> runs a filter.</summary>
/// <param name="CheckAllRegex">Try every failregex on each line (fail2ban-regex's default) instead of
/// stopping at the first match like the daemon.</param>
/// <param name="TopCount">How many of the most frequent ids to report.</param>
/// <param name="MaxTrackedIds">Most distinct ids counted; beyond it new ids are not tracked (bounded memory).</param>
/// <param name="Parallel">Read and screen lines on a second thread when the machine has more than one core.</param>
public sealed record FilterTestOptions(bool CheckAllRegex = false, int TopCount = 10, int MaxTrackedIds = 1_000_000, bool Parallel = true);
