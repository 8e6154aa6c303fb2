namespace Warden.Fail2Ban.Filters;

/// <summary>
/// fail2ban's per-filter switches (server/filter.py) that differ between the daemon, fail2ban-regex
/// and fail2ban's own sample tests.
/// </summary>
/// <param name="CheckAllRegex">Try every failregex on a line instead of stopping at the first
/// (fail2ban-regex's default, its tests'); the daemon stops at the first.</param>
/// <param name="DateFallbackToNow">A line without a usable date gets the current time (the daemon),
/// instead of no time (fail2ban-regex and the tests).</param>
/// <param name="IgnorePending">In first-match mode, a multi-line match whose id is not known yet
/// ends the line without a result (the daemon); fail2ban-regex reports it as matched.</param>
public sealed record FilterBehavior(bool CheckAllRegex = false, bool DateFallbackToNow = true, bool IgnorePending = true)
{
    /// <summary>The daemon's behaviour: first matching regex wins, undated lines happen now.</summary>
    public static FilterBehavior Daemon { get; } = new();
}
