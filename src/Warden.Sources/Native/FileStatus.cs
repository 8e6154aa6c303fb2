using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Warden.Sources.Native;

/// <summary>What statx(2) says about a file: its identity (device, inode), size and kind.</summary>
internal readonly record struct FileStatus(FileIdentity Identity, long Size, uint Mode, uint Links)
{
    private const int StatxSize = 256;
    private const uint TypeMask = 0xF000;
    private const uint RegularFile = 0x8000;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    /// <summary>Last modification, in ticks since the Unix epoch (for ordering rotated files).</summary>
    public long ModifiedTicks { get; init; }

    /// <summary>True for a regular file.</summary>
    public bool IsRegularFile => (Mode & TypeMask) == RegularFile;

    /// <summary>Stats a path, following symlinks; <c>null</c> when it does not exist.</summary>
    /// <exception cref="IOException">Any other error (permission on a directory, I/O).</exception>
    public static FileStatus? OfPath(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (LibC.Statx(LibC.AtFdCwd, path, 0, LibC.StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) == 0)
        {
            return Parse(buffer);
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is ENOENT or ENOTDIR)
        {
            return null;
        }

        throw new IOException($"statx({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>Stats an open file (fstat semantics), which still works after it was renamed or deleted.</summary>
    public static FileStatus OfHandle(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Span<byte> buffer = stackalloc byte[StatxSize];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if (LibC.Statx(fd, string.Empty, LibC.AtEmptyPath, LibC.StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"statx(fd {fd}) failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }

            return Parse(buffer);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // Offsets of struct statx in linux/stat.h (native byte order): stx_nlink 16, stx_mode 28,
    // stx_ino 32, stx_size 40, stx_mtime 112 (s64 seconds, u32 nanoseconds), stx_dev_major 136,
    // stx_dev_minor 140.
    private static FileStatus Parse(ReadOnlySpan<byte> b) => new(
        new FileIdentity(((ulong)Read<uint>(b, 136) << 32) | Read<uint>(b, 140), Read<ulong>(b, 32)),
        (long)Read<ulong>(b, 40),
        Read<ushort>(b, 28),
        Read<uint>(b, 16))
    {
        ModifiedTicks = (Read<long>(b, 112) * TimeSpan.TicksPerSecond) + (Read<uint>(b, 120) / 100),
    };

    private static T Read<T>(ReadOnlySpan<byte> b, int offset)
        where T : struct => MemoryMarshal.Read<T>(b[offset..]);
}
