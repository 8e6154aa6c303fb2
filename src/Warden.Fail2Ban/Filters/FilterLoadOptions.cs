namespace Warden.Fail2Ban.Filters;

/// <summary>Jail-level settings that shape how a filter is loaded.</summary>
/// <param name="Journal">Whether the jail reads the journal (fail2ban's <c>backend = systemd</c>): sets the
/// filter's <c>logtype</c> to <c>journal</c>, else <c>file</c> (filterreader.py applyAutoOptions).
/// Null leaves logtype to the filter files.</param>
/// <param name="LogTimeZone">The jail's logtimezone (<c>UTC</c>, <c>UTC+0200</c>, <c>CET</c>), or null for local time.</param>
/// <param name="DatePattern">A datepattern overriding the filter's, or null.</param>
/// <param name="JailOptions">The jail's own options, visible to the filter's <c>%(name)s</c>, or null.</param>
public sealed record FilterLoadOptions(
    bool? Journal = null,
    string? LogTimeZone = null,
    string? DatePattern = null,
    IReadOnlyDictionary<string, string>? JailOptions = null)
{
    /// <summary>No jail settings.</summary>
    public static FilterLoadOptions None { get; } = new();
}
