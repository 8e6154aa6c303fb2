namespace Warden.Fail2Ban.Jails;

/// <summary>
/// How a jail reads its log: fail2ban's jail option <c>backend</c> (config/jail.conf, server/filter*.py).
/// Warden follows files the same way for every file kind (inotify, or polling for <see cref="Polling"/>)
/// and reads the journal for <see cref="Systemd"/>.
/// </summary>
public enum LogSourceKind
{
    /// <summary><c>auto</c> (the default): files; the journal instead when every logpath is missing and the filter has a journalmatch.</summary>
    Auto,

    /// <summary><c>pyinotify</c>: files, followed with inotify.</summary>
    Pyinotify,

    /// <summary><c>gamin</c>: files, followed with inotify.</summary>
    Gamin,

    /// <summary><c>polling</c>: files, polled rather than followed with inotify.</summary>
    Polling,

    /// <summary><c>systemd</c>: the journal, not the logpath.</summary>
    Systemd,
}
