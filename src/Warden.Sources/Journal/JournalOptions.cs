namespace Warden.Sources.Journal;

/// <summary>How a journal source reads (fail2ban's <c>backend = systemd[...]</c>). Immutable.</summary>
public sealed record JournalOptions
{
    /// <summary>The filter's journalmatch; <see cref="JournalMatch.All"/> reads every entry.</summary>
    public JournalMatch Match { get; init; } = JournalMatch.All;

    /// <summary>A journal directory to read instead of the system journal (fail2ban's <c>journalpath</c>).</summary>
    public string? Directory { get; init; }

    /// <summary>Journal files to read instead of the system journal (fail2ban's <c>journalfiles</c>).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>
    /// How far back a first run (no checkpoint) reads: the jail's findtime, as fail2ban does, so
    /// an attack under way when Warden first starts is seen. Zero starts after the newest entry.
    /// </summary>
    public TimeSpan FirstRunLookBack { get; init; }

    /// <summary>The journalctl program.</summary>
    public string Journalctl { get; init; } = "journalctl";

    /// <summary>The zone the entry time is written in; fail2ban writes local time.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Longest rendered line kept; longer ones are cut and counted.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;
}
