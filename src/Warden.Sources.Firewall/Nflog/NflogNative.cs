using System.Runtime.InteropServices;

namespace Warden.Sources.Firewall.Nflog;

/// <summary>The libc calls an NFLOG netlink socket needs (socket(2), bind(2), send(2), recv(2), poll(2)).</summary>
internal static partial class NflogNative
{
    private const string Library = "libc";

    public const int AfNetlink = 16;
    public const int SockRaw = 3;
    public const int SockCloexec = 0x80000;
    public const int NetlinkNetfilter = 12;
    public const int SolSocket = 1;
    public const int SoRcvBufForce = 33;
    public const int SolNetlink = 270;
    public const int NetlinkNoEnobufs = 5;
    public const short PollIn = 1;
    public const int EIntr = 4;
    public const int ENoBufs = 105;

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

    /// <summary>poll(2) on one descriptor: struct pollfd { int fd; short events; short revents; }.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(long* pollFd, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
