using System.Runtime.InteropServices;

namespace Warden.Sources.Native;

/// <summary>The few libc calls .NET does not expose: <c>statx(2)</c> for device and inode numbers, <c>memfd_create(2)</c>.</summary>
internal static partial class LibC
{
    /// <summary><c>AT_FDCWD</c>: a relative path is resolved against the working directory.</summary>
    public const int AtFdCwd = -100;

    /// <summary><c>AT_EMPTY_PATH</c>: stat the descriptor itself (fstat semantics).</summary>
    public const int AtEmptyPath = 0x1000;

    /// <summary><c>STATX_BASIC_STATS</c>.</summary>
    public const uint StatxBasicStats = 0x7ff;

    /// <summary><c>O_RDONLY | O_NONBLOCK | O_CLOEXEC</c>: non-blocking so a FIFO at a log path cannot hang the reader.</summary>
    public const int OpenReadOnly = 0x0 | 0x800 | 0x80000;

    /// <summary>
    /// open(2) without the advisory flock(2) .NET adds to emulate FileShare: a log reader must
    /// never make a writer's or rotator's own locking fail.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    /// <summary>
    /// statx(2) has one layout on every architecture (unlike struct stat), which is why Warden
    /// uses it instead of stat/fstat; the buffer is the 256-byte <c>struct statx</c>.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, ref byte buffer);

    /// <summary><c>MFD_CLOEXEC</c>: action commands never inherit the descriptor.</summary>
    public const uint MemfdCloseOnExec = 0x1;

    /// <summary>
    /// memfd_create(2): an anonymous file in memory (sparse, freed when closed), which holds the
    /// decompressed text of a compressed generation so it reads like any other file.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);
}
