using System.Globalization;
using System.Runtime.InteropServices;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// Moves the calling thread into a named network namespace (<c>ip netns</c>'s
/// /var/run/netns/NAME, see ip-netns(8)) and proves it got there. Used so tests can point the
/// backend at a namespace they created: a thread that could not prove it left the process's own
/// namespace, and the root namespace of PID 1, must never run an nft command.
/// </summary>
internal static class NetworkNamespaceJoin
{
    private const string NetnsDirectory = "/var/run/netns";

    /// <summary>Joins <paramref name="name"/> on the calling thread, or throws without having touched anything.</summary>
    /// <exception cref="FirewallException">The namespace is missing, is the original one, or the switch did not take.</exception>
    public static void Enter(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw Refuse(name, "not a valid namespace name");
        }

        var path = Path.Combine(NetnsDirectory, name);
        var original = LinkInode("/proc/self/ns/net");
        var root = RootInode();
        var fd = LibC.Open(path, LibC.ReadOnly | LibC.CloseOnExec);
        if (fd < 0)
        {
            throw Refuse(name, $"cannot open {path}: errno {Marshal.GetLastPInvokeError()}");
        }

        ulong target;
        try
        {
            target = FileInode(fd, path);
            if (target == original || target == root)
            {
                throw Refuse(name, "it is the process's own or the root network namespace");
            }

            if (LibC.SetNs(fd, LibC.CloneNewNet) != 0)
            {
                throw Refuse(name, $"setns failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = LibC.Close(fd);
        }

        var now = LinkInode("/proc/thread-self/ns/net");
        if (now != target || now == original || now == root)
        {
            throw Refuse(name, $"after setns the thread is in net:[{now}], expected net:[{target}]");
        }
    }

    // PID 1's namespace is the root one on an ordinary host; some sandboxes hide the link, and
    // then the comparison with the process's own namespace is the guarantee that remains.
    private static ulong? RootInode()
    {
        try
        {
            return LinkInode("/proc/1/ns/net");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or FirewallException)
        {
            return null;
        }
    }

    /// <summary>The inode in a /proc ns link's text, <c>net:[4026531840]</c>.</summary>
    internal static ulong LinkInode(string link)
    {
        var text = new FileInfo(link).LinkTarget ?? throw Refuse(link, "not a namespace link");
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0 || !text.EndsWith(']') ||
            !ulong.TryParse(text.AsSpan(open + 1, text.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            throw Refuse(link, $"unexpected link text '{text}'");
        }

        return inode;
    }

    private static unsafe ulong FileInode(int fd, string path)
    {
        // struct stat is at most 144 bytes on the 64-bit ABIs; st_ino follows the 8-byte st_dev.
        var buffer = stackalloc byte[256];
        if (LibC.FStat(fd, buffer) != 0)
        {
            throw Refuse(path, $"fstat failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return *(ulong*)(buffer + 8);
    }

    private static FirewallException Refuse(string what, string why) =>
        new("nftables", $"setns {what}", $"refusing to use network namespace '{what}': {why}");
}
