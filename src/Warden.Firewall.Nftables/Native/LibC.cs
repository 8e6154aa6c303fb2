using System.Runtime.InteropServices;

namespace Warden.Firewall.Nftables.Native;

/// <summary>The few libc calls the backend needs: joining a network namespace and netlink sockets.</summary>
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

    [LibraryImport(Library, EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static unsafe partial int Bind(int fd, byte* address, int length);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static unsafe partial int SetSockOpt(int fd, int level, int name, int* value, int length);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static unsafe partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static unsafe partial nint Recv(int fd, byte* buffer, nint length, int flags);
}
