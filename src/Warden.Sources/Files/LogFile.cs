using Microsoft.Win32.SafeHandles;
using Warden.Core.Ports;
using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// One open log file. The handle keeps reading the same file after it is renamed or deleted, which
/// is how the tail of a rotated file is finished. Owned by one reader; not thread-safe.
/// </summary>
internal sealed class LogFile : IDisposable
{
    private LogFile(SafeFileHandle handle, string path, FileIdentity identity)
    {
        Handle = handle;
        Path = path;
        Identity = identity;
    }

    /// <summary>The open handle.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>The name the file was opened by.</summary>
    public string Path { get; }

    /// <summary>Device and inode.</summary>
    public FileIdentity Identity { get; }

    /// <summary>The fingerprint of the first bytes as last taken.</summary>
    public FileHead Head { get; set; } = FileHead.Empty;

    /// <summary>Opens a file for reading, sharing it with writers and rotators; <c>null</c> when it does not exist.</summary>
    /// <exception cref="LogSourceException">It exists but cannot be opened (permission, not a file).</exception>
    public static LogFile? TryOpen(string sourceId, string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new LogSourceException(sourceId, $"cannot open {path}: {ex.Message}", ex);
        }

        try
        {
            var status = FileStatus.OfHandle(handle);
            if (!status.IsRegularFile)
            {
                throw new LogSourceException(sourceId, $"{path} is not a regular file");
            }

            var file = new LogFile(handle, path, status.Identity);
            file.Head = FileHead.Read(handle, FileHead.Size);
            return file;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Current size (fstat).</summary>
    public long Length => FileStatus.OfHandle(Handle).Size;

    /// <summary>Reads at <paramref name="offset"/>; 0 at end of file.</summary>
    public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(Handle, buffer, offset);

    /// <summary>True when the file was truncated or its first bytes replaced since the head was taken.</summary>
    public bool WasReplacedInPlace(long readOffset) => Length < readOffset || !Head.Matches(Handle);

    /// <summary>
    /// Extends the fingerprint while the file is shorter than <see cref="FileHead.Size"/>, so a
    /// checkpoint never carries a head too short to tell files apart. Left alone when the known
    /// head no longer matches: that is a replacement, which the next read handles.
    /// </summary>
    public void GrowHead()
    {
        if (!Head.IsComplete && Head.Matches(Handle))
        {
            Head = FileHead.Read(Handle, FileHead.Size);
        }
    }

    /// <summary>The checkpoint at <paramref name="offset"/> in this file.</summary>
    public FileCheckpoint CheckpointAt(long offset, bool discarding) => new(Identity, offset, Head, discarding, Path);

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}
