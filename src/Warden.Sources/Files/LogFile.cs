using System.Runtime.InteropServices;
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
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

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

    /// <summary>The first bytes, as the reader has seen them.</summary>
    public HeadBytes Head { get; private set; } = new();

    /// <summary>Opens a file for reading, sharing it with writers and rotators; <c>null</c> when it does not exist.</summary>
    /// <exception cref="LogSourceException">It exists but cannot be opened (permission, not a file).</exception>
    public static LogFile? TryOpen(string sourceId, string path)
    {
        var fd = LibC.Open(path, LibC.OpenReadOnly);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR
                ? null
                : throw new LogSourceException(sourceId, $"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);

        try
        {
            var status = FileStatus.OfHandle(handle);
            if (!status.IsRegularFile)
            {
                throw new LogSourceException(sourceId, $"{path} is not a regular file");
            }

            var file = new LogFile(handle, RealPath(path, status.Identity), status.Identity);
            file.Head = HeadBytes.Read(handle);
            return file;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A file holding the decompressed text of a compressed generation (an anonymous memory file),
    /// named and identified as that generation, so a checkpoint inside it finds it again.
    /// </summary>
    public static LogFile OfText(SafeFileHandle text, string path, FileIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new LogFile(text, path, identity) { Head = HeadBytes.Read(text) };
    }

    /// <summary>
    /// The name behind a symlink, so a checkpoint names the file itself (a re-pointed symlink no
    /// longer leads to it); the path itself when it is no symlink or was re-pointed meanwhile.
    /// </summary>
    private static string RealPath(string path, FileIdentity identity)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;
            return target is not null && FileStatus.OfPath(target)?.Identity == identity ? target : path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    /// <summary>Current size (fstat).</summary>
    public long Length => FileStatus.OfHandle(Handle).Size;

    /// <summary>Reads at <paramref name="offset"/>; 0 at end of file.</summary>
    public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(Handle, buffer, offset);

    /// <summary>True when the file is empty up to <paramref name="end"/> or the byte before it is a newline.</summary>
    public bool EndsWithNewline(long end)
    {
        Span<byte> one = stackalloc byte[1];
        return end <= 0 || Read(one, end - 1) != 1 || one[0] == (byte)'\n';
    }

    /// <summary>True when the file was truncated or its first bytes replaced since the head was taken.</summary>
    public bool WasReplacedInPlace(long readOffset) => Length < readOffset || !Head.MatchesFile(Handle);

    /// <summary>The checkpoint at <paramref name="offset"/> in this file.</summary>
    public FileCheckpoint CheckpointAt(long offset, bool discarding) => new(Identity, offset, Head.Fingerprint, discarding, Path);

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}
