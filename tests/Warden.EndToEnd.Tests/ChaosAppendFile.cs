using System.Runtime.InteropServices;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// A log opened with O_APPEND, as syslog daemons open theirs: after a copytruncate every write(2)
/// lands at the new end (offset 0), where .NET's FileMode.Append would write at its own offset.
/// </summary>
internal sealed partial class ChaosAppendFile : IDisposable
{
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Append = 0x400;
    private const int CloseOnExec = 0x80000;
    private readonly int _fd;

    public ChaosAppendFile(string path)
    {
        _fd = Open(path, WriteOnly | Create | Append | CloseOnExec, 0x1a4);
        if (_fd < 0)
        {
            throw new IOException($"open({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var n = Write(_fd, ref MemoryMarshal.GetReference(bytes), bytes.Length);
            if (n < 0)
            {
                throw new IOException($"write failed: errno {Marshal.GetLastPInvokeError()}");
            }

            bytes = bytes[(int)n..];
        }
    }

    public void Dispose() => _ = Close(_fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
