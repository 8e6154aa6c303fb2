using System.Runtime.InteropServices;

namespace Warden.Firewall.Nftables.Native;

/// <summary>The few libc calls the backend needs besides the socket calls (<see cref="Warden.Linux.SocketCalls"/>): joining a network namespace, handing memory back.</summary>
internal static partial class LibC
{
    private const string Library = "libc";

    public const int ReadOnly = 0;
    public const int CloseOnExec = 0x80000;
    public const int CloneNewNet = 0x40000000;

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>setns(2): moves the calling thread (only) into the namespace behind <paramref name="fd"/>.</summary>
    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nsType);

    /// <summary>fstat(2) into a raw buffer; st_ino is the second 64-bit field on x86-64 and arm64.</summary>
    [LibraryImport(Library, EntryPoint = "fstat", SetLastError = true)]
    public static unsafe partial int FStat(int fd, byte* statBuffer);

    /// <summary>malloc_trim(3): hands free heap memory of every malloc arena back to the kernel.</summary>
    [LibraryImport(Library, EntryPoint = "malloc_trim")]
    public static partial int MallocTrim(nuint pad);

    [LibraryImport(Library, EntryPoint = "gettid")]
    public static partial int GetTid();
}
