namespace Warden.Sources.Firewall.Nflog;

/// <summary>The constants of an NFLOG netlink socket; the calls are <see cref="Warden.Linux.SocketCalls"/>.</summary>
internal static class NflogNative
{
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
}
