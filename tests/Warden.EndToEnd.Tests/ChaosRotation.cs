namespace Warden.EndToEnd.Tests;

/// <summary>How <see cref="ChaosWriter"/> rotates the log while Warden is killed.</summary>
public enum ChaosRotation
{
    /// <summary>No rotation: the steady stream.</summary>
    None,

    /// <summary>Shift <c>.N</c>, rename the log to <c>.1</c>, create a new one; the writer reopens a little later.</summary>
    RenameCreate,

    /// <summary>Copy to <c>.1</c>, truncate in place; the writer keeps its descriptor.</summary>
    CopyTruncate,

    /// <summary>The log path is a symlink re-pointed (atomically, by rename) to a new file; the writer follows a little later.</summary>
    Symlink,

    /// <summary>Debian's real logrotate: copytruncate, compress, delaycompress, rotate 5.</summary>
    Logrotate,
}
