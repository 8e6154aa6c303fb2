using System.Runtime.InteropServices;

namespace Warden.Linux;

/// <summary>
/// What statx(2) says of a path without opening it: its identity, kind and size. Opening a FIFO
/// blocks until a writer comes and reading a device may never end, so a path that must be a
/// regular file is looked at first.
/// </summary>
/// <param name="Identity">Device and inode.</param>
/// <param name="Kind">The file type.</param>
/// <param name="Size">Size in bytes (meaningful for regular files).</param>
public readonly partial record struct FileStat(FileIdentity Identity, FileKind Kind, long Size)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    /// <summary>The status of <paramref name="path"/> (symlinks followed); <c>null</c> when nothing is there.</summary>
    /// <exception cref="IOException">statx failed otherwise (permission, I/O).</exception>
    public static FileStat? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) == 0)
        {
            // struct statx (linux/stat.h): stx_mode at 28, stx_ino at 32, stx_size at 40,
            // stx_dev_major at 136, stx_dev_minor at 140.
            var identity = new FileIdentity(
                ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]),
                MemoryMarshal.Read<ulong>(buffer[32..]));
            var kind = (FileKind)(MemoryMarshal.Read<ushort>(buffer[28..]) & 0xF000);
            return new FileStat(identity, Enum.IsDefined(kind) ? kind : FileKind.Unknown, (long)MemoryMarshal.Read<ulong>(buffer[40..]));
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is ENOENT or ENOTDIR ? null : throw new IOException($"statx({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>The kind in words, for messages: "a FIFO (named pipe)", "a character device" ...</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    // statx(2) has one layout on every architecture, unlike struct stat.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, ref byte buffer);
}
