namespace Warden.Linux;

/// <summary>
/// A file's identity, device and inode numbers as statx(2) gives them: two paths name the same
/// file exactly when these are equal, which is how a holder of an open file notices that its
/// path was deleted or now names another file.
/// </summary>
/// <param name="Device">st_dev (major in the high 32 bits).</param>
/// <param name="Inode">st_ino.</param>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>The identity of the file at <paramref name="path"/> (symlinks followed); <c>null</c> when nothing is there.</summary>
    /// <exception cref="IOException">statx failed otherwise (permission, I/O).</exception>
    public static FileIdentity? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FileStat.Of(path)?.Identity;
    }
}
