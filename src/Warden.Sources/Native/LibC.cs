using System.Runtime.InteropServices;

namespace Warden.Sources.Native;

/// <summary>The few libc calls .NET does not expose: <c>statx(2)</c> for device and inode numbers.</summary>
internal static partial class LibC
{
    /// <summary><c>AT_FDCWD</c>: a relative path is resolved against the working directory.</summary>
    public const int AtFdCwd = -100;

    /// <summary><c>AT_EMPTY_PATH</c>: stat the descriptor itself (fstat semantics).</summary>
    public const int AtEmptyPath = 0x1000;

    /// <summary><c>STATX_BASIC_STATS</c>.</summary>
    public const uint StatxBasicStats = 0x7ff;

    /// <summary>
    /// statx(2) has one layout on every architecture (unlike struct stat), which is why Warden
    /// uses it instead of stat/fstat; the buffer is the 256-byte <c>struct statx</c>.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, ref byte buffer);
}
