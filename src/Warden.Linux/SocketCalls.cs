using System.Runtime.InteropServices;

namespace Warden.Linux;

/// <summary>
/// The libc socket calls behind Warden's netlink sockets (socket(2), bind(2), setsockopt(2),
/// send(2), recv(2), poll(2), close(2)), shared by the adapters that speak netlink: the nftables
/// backend's drift watch and the NFLOG source. Each returns -1 and sets errno on failure
/// (<see cref="Marshal.GetLastPInvokeError"/>).
/// </summary>
public static partial class SocketCalls
{
    private const string Library = "libc";

    /// <summary>socket(2).</summary>
    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    /// <summary>bind(2) with a raw sockaddr.</summary>
    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static unsafe partial int Bind(int fd, byte* address, int length);

    /// <summary>setsockopt(2) with an int value.</summary>
    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static unsafe partial int SetSockOpt(int fd, int level, int name, int* value, int length);

    /// <summary>send(2).</summary>
    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static unsafe partial nint Send(int fd, byte* buffer, nint length, int flags);

    /// <summary>recv(2).</summary>
    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static unsafe partial nint Recv(int fd, byte* buffer, nint length, int flags);

    /// <summary>poll(2) on descriptors laid out as struct pollfd { int fd; short events; short revents; }.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(long* pollFd, nuint count, int timeoutMs);

    /// <summary>close(2).</summary>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
