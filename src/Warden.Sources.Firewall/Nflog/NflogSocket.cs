using System.Runtime.InteropServices;
using Warden.Core.Ports;
using Warden.Linux;

namespace Warden.Sources.Firewall.Nflog;

/// <summary>
/// A NETLINK_NETFILTER socket bound to one NFLOG group (nfnetlink_log), in the network namespace
/// of the thread that opens it: the packets of that namespace's <c>log group N</c> rules arrive
/// here with no syslog in between. Not thread-safe; one reader thread owns it.
/// </summary>
internal sealed class NflogSocket : IDisposable
{
    private readonly string _sourceId;
    private int _fd;

    private NflogSocket(int fd, string sourceId)
    {
        _fd = fd;
        _sourceId = sourceId;
    }

    /// <summary>Opens the socket and binds <paramref name="group"/>; throws if the kernel refuses (EBUSY: another reader owns the group).</summary>
    /// <exception cref="LogSourceException">Socket, bind or a config request failed.</exception>
    public static unsafe NflogSocket Open(ushort group, string sourceId)
    {
        var fd = SocketCalls.Socket(NflogNative.AfNetlink, NflogNative.SockRaw | NflogNative.SockCloexec, NflogNative.NetlinkNetfilter);
        if (fd < 0)
        {
            throw new LogSourceException(sourceId, $"socket(AF_NETLINK, NETLINK_NETFILTER) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var socket = new NflogSocket(fd, sourceId);
        try
        {
            // struct sockaddr_nl { u16 family; u16 pad; u32 pid = 0 (kernel assigns); u32 groups = 0; }
            var address = stackalloc byte[12];
            new Span<byte>(address, 12).Clear();
            *(ushort*)address = NflogNative.AfNetlink;
            if (SocketCalls.Bind(fd, address, 12) != 0)
            {
                throw socket.Failure("bind(netlink)");
            }

            // A scan bursts; a large queue loses fewer packets before the reader drains it.
            var size = 4 << 20;
            _ = SocketCalls.SetSockOpt(fd, NflogNative.SolSocket, NflogNative.SoRcvBufForce, &size, sizeof(int));
            socket.Request(NflogMessages.Bind(group, 1), "bind group");
            socket.Request(NflogMessages.CopyMode(group, 2), "copy mode");
            socket.Request(NflogMessages.DeliverEach(group, 3), "queue threshold");
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a datagram and reads it; 0 when none came, or -errno.</summary>
    public unsafe int Receive(Span<byte> buffer, int timeoutMs)
    {
        // struct pollfd { int fd; short events; short revents; } packed in one long.
        long pollFd = (uint)_fd | ((long)NflogNative.PollIn << 32);
        var ready = SocketCalls.Poll(&pollFd, 1, timeoutMs);
        if (ready <= 0)
        {
            var errno = ready < 0 ? Marshal.GetLastPInvokeError() : 0;
            return errno is 0 or NflogNative.EIntr ? 0 : -errno;
        }

        fixed (byte* p = buffer)
        {
            var n = SocketCalls.Recv(_fd, p, buffer.Length, 0);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    public void Dispose()
    {
        if (_fd > 0)
        {
            _ = SocketCalls.Close(_fd);
            _fd = 0;
        }
    }

    private unsafe void Request(byte[] message, string what)
    {
        fixed (byte* p = message)
        {
            if (SocketCalls.Send(_fd, p, message.Length, 0) != message.Length)
            {
                throw Failure($"send({what})");
            }
        }

        // The kernel answers every request flagged NLM_F_ACK with NLMSG_ERROR (0 = success).
        var reply = new byte[4096];
        var n = Receive(reply, 2000);
        if (n <= 0)
        {
            throw new LogSourceException(_sourceId, $"NFLOG {what}: no acknowledgement (recv {n})");
        }

        var length = NflogMessages.Length(reply.AsSpan(0, n));
        if (length > 0 && NflogMessages.Type(reply) == NflogMessages.NlmsgError && NflogMessages.ErrorCode(reply.AsSpan(0, length)) is var code and not 0)
        {
            throw new LogSourceException(_sourceId, $"NFLOG {what} refused: errno {-code}{(code is -1 or -16 ? " (another process reads this group)" : string.Empty)}");
        }
    }

    private LogSourceException Failure(string what) =>
        new(_sourceId, $"{what} failed: errno {Marshal.GetLastPInvokeError()}");
}
