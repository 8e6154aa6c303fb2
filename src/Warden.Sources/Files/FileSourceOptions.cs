namespace Warden.Sources.Files;

/// <summary>How a file source reads. Immutable; the defaults suit system logs.</summary>
public sealed record FileSourceOptions
{
    /// <summary>Longest line kept; longer ones are cut to this many bytes and counted in <see cref="Core.Ports.LogBatch.Overlong"/>.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Where a first run (no saved position) starts: at the end of the file (<c>true</c>, what
    /// fail2ban's <c>logpath = FILE tail</c> does), or at its start (<c>head</c>), leaving the
    /// engine to skip lines older than findtime.
    /// </summary>
    public bool StartAtEnd { get; init; } = true;

    /// <summary>
    /// Wake on inotify events (fail2ban's <c>backend = pyinotify</c>/<c>auto</c>); <c>false</c>
    /// polls only (<c>backend = polling</c>), for file systems without inotify (NFS, FUSE).
    /// </summary>
    public bool UseInotify { get; init; } = true;

    /// <summary>
    /// How often the file is checked without an event: the whole mechanism when polling, a
    /// safety net (missed or overflowed events, a directory that appears later) with inotify.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// After a new file takes the log's path while it is still empty, how long the old file must
    /// stay unchanged before it is left for good. A writer that keeps writing to the renamed file
    /// until it reopens (syslog before its HUP) loses nothing; as soon as the new file has data,
    /// the writer has moved and the switch happens at once.
    /// </summary>
    public TimeSpan RotateWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Lines per batch before it is handed on (a batch can exceed it by one read's worth).</summary>
    public int MaxBatchLines { get; init; } = 4096;

    /// <summary>Bytes per read call.</summary>
    public int ReadBufferBytes { get; init; } = 128 * 1024;
}
