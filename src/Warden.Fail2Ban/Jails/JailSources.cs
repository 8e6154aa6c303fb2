namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Where a jail's lines come from besides its <c>logpath</c> files: the systemd journal
/// (fail2ban's <c>backend = systemd</c>) and a command's output (Warden's <c>logcommand</c>).
/// </summary>
/// <param name="Journal">True for <c>backend = systemd</c>: the jail reads the journal, not its logpath.</param>
/// <param name="JournalPath">A journal directory instead of the system journal (<c>systemd[journalpath=DIR]</c> or the jail option <c>journalpath</c>).</param>
/// <param name="JournalFiles">Journal files (globs allowed, as journalctl takes them) instead of the system journal.</param>
/// <param name="Command">The <c>logcommand</c> as program and arguments, run without a shell; empty when none.</param>
public sealed record JailSources(bool Journal, string? JournalPath, IReadOnlyList<string> JournalFiles, IReadOnlyList<string> Command)
{
    /// <summary>Files only.</summary>
    public static JailSources FilesOnly { get; } = new(false, null, [], []);

    /// <summary>Where <c>backend</c>, the log source kind, was written (for errors about the journal).</summary>
    public ConfigPlace? KindLocation { get; init; }

    /// <summary>Where <c>logcommand</c> was written.</summary>
    public ConfigPlace? CommandLocation { get; init; }
}
