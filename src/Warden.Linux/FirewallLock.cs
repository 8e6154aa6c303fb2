using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Warden.Linux;

/// <summary>
/// Marks the firewall of this network namespace as Warden's while the process lives: a listening
/// unix socket in the abstract namespace, whose names belong to the network namespace, exactly
/// the scope of the firewall objects it guards. Two daemons on one firewall would overwrite each
/// other's table many times a second; the second one finds the name taken and, through
/// SO_PEERCRED, the first one's pid. The kernel releases the name when the holder exits, even
/// killed with SIGKILL, so there is no stale lock file to clean up; the socket is close-on-exec,
/// so action commands Warden starts never hold it.
/// </summary>
public sealed class FirewallLock : IDisposable
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private readonly Socket _socket;

    private FirewallLock(Socket socket, string name)
    {
        _socket = socket;
        Name = name;
    }

    /// <summary>The abstract socket name, shown by <c>ss -xl</c> as <c>@NAME</c>.</summary>
    public string Name { get; }

    /// <summary>Takes <paramref name="name"/>, or says who holds it.</summary>
    /// <param name="name">The name of what is guarded (for example <c>warden/nftables</c>).</param>
    /// <param name="holder">When taken: the pid of the process holding it, or null when the kernel does not say.</param>
    /// <returns>The lock, or null when another process holds it.</returns>
    /// <exception cref="SocketException">The socket could not be made for another reason.</exception>
    public static FirewallLock? TryAcquire(string name, out int? holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        holder = null;
        var endpoint = new UnixDomainSocketEndPoint("\0" + name);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(16);
            return new FirewallLock(socket, name);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            holder = HolderOf(endpoint);
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    // Connecting needs no accept: the listener's credentials (taken at listen) are the peer's.
    // The holder never accepts, so its backlog fills after a few probes; a non-blocking connect
    // then fails at once (EAGAIN) instead of waiting.
    private static int? HolderOf(UnixDomainSocketEndPoint endpoint)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(endpoint);
            Span<byte> credentials = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            return probe.GetRawSocketOption(SolSocket, SoPeerCred, credentials) >= 4 ? MemoryMarshal.Read<int>(credentials) : null;
        }
        catch (SocketException)
        {
            // The holder exited meanwhile, or its backlog is full: it still held the name.
            return null;
        }
    }
}
