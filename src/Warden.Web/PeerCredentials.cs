using System.Runtime.InteropServices;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Warden.Web;

/// <summary>
/// Who is on the other end of the admin socket: the kernel's SO_PEERCRED (unix(7)), so a manual
/// ban records the user that made it, not a name the client claims.
/// </summary>
internal static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary><c>uid N</c> of the connected process; <c>null</c> when the connection is not a unix socket.</summary>
    public static string? Describe(HttpContext context)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is not { AddressFamily: AddressFamily.Unix } socket)
        {
            return null;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return length < 12 ? null : $"uid {MemoryMarshal.Read<uint>(credentials[4..])}";
    }
}
