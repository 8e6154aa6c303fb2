namespace Warden.Sources.Tests.Torture;

/// <summary>How the torture writer rotates its log.</summary>
public enum RotationStyle
{
    /// <summary>logrotate's default: shift <c>.N</c>, rename the log to <c>.1</c>, create a new one; the writer reopens.</summary>
    RenameCreate,

    /// <summary>logrotate's copytruncate: copy to <c>.1</c>, truncate in place; the writer keeps its descriptor.</summary>
    CopyTruncate,

    /// <summary>Delete the log and create a new one; the writer reopens.</summary>
    DeleteRecreate,

    /// <summary>The log path is a symlink re-pointed to a new file (daemontools/s6 style <c>current</c>).</summary>
    Symlink,
}
