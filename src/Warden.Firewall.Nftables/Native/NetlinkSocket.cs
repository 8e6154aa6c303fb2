using System.Runtime.InteropServices;
using Warden.Core.Ports;
using Warden.Linux;

namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// A NETLINK_NETFILTER socket (netlink(7)), created in the network namespace of the calling
/// thread. Not thread-safe; lives on the backend's worker thread.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    public const int EAgain = 11;
    public const int ENoBufs = 105;

    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockNonBlock = 0x800;
    private const int SockCloexec = 0x80000;
    private const int NetlinkNetfilter = 12;
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;
    private const int SolNetlink = 270;
    private const int NetlinkAddMembership = 1;
    private const int MsgDontWait = 0x40;

    private int _fd;

    private NetlinkSocket(int fd) => _fd = fd;

    /// <summary>Opens a socket; with <paramref name="group"/> it also joins that multicast group (non-blocking).</summary>
    public static unsafe NetlinkSocket Open(int? group = null)
    {
        var type = SockRaw | SockCloexec | (group is null ? 0 : SockNonBlock);
        var fd = SocketCalls.Socket(AfNetlink, type, NetlinkNetfilter);
        if (fd < 0)
        {
            throw Failure("socket(AF_NETLINK, NETLINK_NETFILTER)");
        }

        var socket = new NetlinkSocket(fd);
        try
        {
            // struct sockaddr_nl { u16 family; u16 pad; u32 pid = 0 (kernel assigns); u32 groups = 0; }
            var address = stackalloc byte[12];
            new Span<byte>(address, 12).Clear();
            *(ushort*)address = AfNetlink;
            if (SocketCalls.Bind(fd, address, 12) != 0)
            {
                throw Failure("bind(netlink)");
            }

            if (group is { } g)
            {
                // A burst of foreign changes should not overflow the queue between two checks.
                var size = 8 << 20;
                _ = SocketCalls.SetSockOpt(fd, SolSocket, SoRcvBufForce, &size, sizeof(int));
                if (SocketCalls.SetSockOpt(fd, SolNetlink, NetlinkAddMembership, &g, sizeof(int)) != 0)
                {
                    throw Failure("NETLINK_ADD_MEMBERSHIP");
                }
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public unsafe void Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            if (SocketCalls.Send(_fd, p, message.Length, 0) != message.Length)
            {
                throw Failure("send(netlink)");
            }
        }
    }

    /// <summary>Reads one datagram; returns its length, 0 when nothing is queued (non-blocking), or -errno.</summary>
    public unsafe int Receive(Span<byte> buffer, bool wait)
    {
        fixed (byte* p = buffer)
        {
            var n = SocketCalls.Recv(_fd, p, buffer.Length, wait ? 0 : MsgDontWait);
            if (n >= 0)
            {
                return (int)n;
            }

            var errno = Marshal.GetLastPInvokeError();
            return errno == EAgain ? 0 : -errno;
        }
    }

    public void Dispose()
    {
        if (_fd > 0)
        {
            _ = LibC.Close(_fd);
            _fd = 0;
        }
    }

    private static FirewallException Failure(string what) =>
        new("nftables", what, $"{what} failed: errno {Marshal.GetLastPInvokeError()}");
}
