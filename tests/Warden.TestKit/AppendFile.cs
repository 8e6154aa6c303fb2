using System.Runtime.InteropServices;

namespace Warden.TestKit;

/// <summary>
/// A file opened with O_APPEND, as syslog daemons open their logs: every write(2) lands at the
/// current end, so after a copytruncate the writer continues at offset 0. (.NET's FileMode.Append
/// only seeks once and then writes at its own offset, which leaves a hole of NULs instead.)
/// </summary>
public sealed partial class AppendFile : IDisposable
{
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Append = 0x400;
    private const int CloseOnExec = 0x80000;
    private readonly int _fd;

    /// <summary>Opens (creating) <paramref name="path"/> with O_APPEND.</summary>
    public AppendFile(string path)
    {
        _fd = Open(path, WriteOnly | Create | Append | CloseOnExec, 0x1a4);
        if (_fd < 0)
        {
            throw new IOException($"open({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>write(2) until every byte is written.</summary>
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

    /// <summary>The file descriptor (for fstat by a test that records inodes).</summary>
    public int Descriptor => _fd;

    /// <inheritdoc />
    public void Dispose() => _ = Close(_fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
