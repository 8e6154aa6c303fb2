using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// One gzip-compressed generation of a log (logrotate's <c>compress</c>: <c>auth.log.2.gz</c>,
/// <c>auth.log-20261201.gz</c>), held open so that later renames do not matter. A follower more
/// than one rotation behind (or one restarted after several) finds the rest of the content it was
/// reading here, by its first bytes, once <c>delaycompress</c>'s plain copy has been compressed.
/// Its text is decompressed into an anonymous memory file only when it is read, and then only the
/// part that is read. Not thread-safe.
/// </summary>
internal sealed class CompressedGeneration : IDisposable
{
    private const string Extension = ".gz";
    private const int ListAttempts = 20;
    private readonly SafeFileHandle _handle;
    private byte[]? _head;
    private HeadBytes? _headBytes;

    private CompressedGeneration(SafeFileHandle handle, string path, FileStatus status, int number)
    {
        _handle = handle;
        Path = path;
        Identity = status.Identity;
        ModifiedTicks = status.ModifiedTicks;
        Number = number;
    }

    /// <summary>The name it was opened by.</summary>
    public string Path { get; }

    /// <summary>Device and inode of the compressed file (a checkpoint inside it names them).</summary>
    public FileIdentity Identity { get; }

    /// <summary>Modification time: gzip and logrotate keep the time of the file compressed.</summary>
    public long ModifiedTicks { get; }

    /// <summary>The rotation number (<c>.2.gz</c> is 2), 0 for dated names.</summary>
    public int Number { get; }

    /// <summary>
    /// Every compressed generation of <paramref name="path"/> there is now, oldest first (by
    /// modification time, then the larger number, then the name), each opened. Names that move
    /// while they are listed (logrotate shifting <c>.2.gz</c> to <c>.3.gz</c>) are listed again.
    /// </summary>
    public static List<CompressedGeneration> List(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path) ?? "/";
        var baseName = System.IO.Path.GetFileName(path);
        for (var attempt = 1; ; attempt++)
        {
            var opened = new List<CompressedGeneration>();
            var vanished = false;
            foreach (var name in Names(directory, baseName))
            {
                if (TryOpen(name, RotatedNames.Number(System.IO.Path.GetFileName(name)[..^Extension.Length], baseName), out var gone) is { } generation)
                {
                    opened.Add(generation);
                }

                vanished |= gone;
            }

            if (!vanished || attempt == ListAttempts)
            {
                return [.. opened.DistinctBy(g => g.Identity).OrderBy(g => g.ModifiedTicks).ThenByDescending(g => g.Number).ThenBy(g => g.Path, StringComparer.Ordinal)];
            }

            opened.ForEach(g => g.Dispose());
        }
    }

    /// <summary>True when the text starts with the bytes <paramref name="head"/> was taken from.</summary>
    public bool Holds(FileHead head)
    {
        var known = Head();
        if (known.Length < head.Length)
        {
            return false;
        }

        var bytes = known.AsSpan(0, head.Length);
        return (head.Sha256 ? FileHead.OfSha256(bytes) : FileHead.Of(bytes)) == head;
    }

    /// <summary>True when its text and <paramref name="head"/> agree on the first bytes both know (and there are some).</summary>
    public bool AgreesWith(HeadBytes head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var known = _headBytes ??= HeadBytes.FromBytes(Head());
        return known.Length > 0 && head.Length > 0 && known.AgreesWith(head);
    }

    /// <summary>
    /// True when gzip's trailer says the text is <paramref name="length"/> bytes long (modulo
    /// 2^32, as the trailer keeps it): read to its end at that offset, without decompressing it.
    /// A stream cut short (logrotate still compressing) ends early and does not match it.
    /// </summary>
    public bool EndsAt(long length)
    {
        Span<byte> trailer = stackalloc byte[4];
        var size = FileStatus.OfHandle(_handle).Size;
        return size >= 18 && RandomAccess.Read(_handle, trailer, size - 4) == 4
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer) == (uint)length;
    }

    /// <summary>
    /// Its text as a <see cref="LogFile"/> to read from <paramref name="from"/>: the first
    /// <see cref="FileHead.Size"/> bytes and everything from <paramref name="from"/> on are kept in
    /// an anonymous memory file, the rest is a hole. <c>null</c> when the file is not a whole
    /// gzip stream (still being written by logrotate, or damaged).
    /// </summary>
    public LogFile? Decompress(string sourceId, long from)
    {
        var fd = LibC.MemfdCreate("warden-gz", LibC.MemfdCloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Core.Ports.LogSourceException(sourceId, $"cannot decompress {Path}: memfd_create: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var text = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            using (var gzip = Open())
            {
                int n;
                while ((n = gzip.Read(buffer)) > 0)
                {
                    var chunk = buffer.AsSpan(0, n);
                    if (total < FileHead.Size)
                    {
                        RandomAccess.Write(text, chunk[..(int)Math.Min(n, FileHead.Size - total)], total);
                    }

                    if (total + n > from && total + n > FileHead.Size)
                    {
                        var skip = (int)Math.Max(Math.Max(from, FileHead.Size) - total, 0);
                        RandomAccess.Write(text, chunk[skip..], total + skip);
                    }

                    total += n;
                }
            }

            if (!EndsAt(total))
            {
                text.Dispose();
                return null;
            }

            RandomAccess.SetLength(text, total);
            return LogFile.OfText(text, Path, Identity);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            text.Dispose();
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static List<string> Names(string directory, string baseName)
    {
        try
        {
            return Directory.EnumerateFiles(directory, baseName + "*" + Extension)
                .Where(p => System.IO.Path.GetFileName(p) is var name && RotatedNames.IsGeneration(name[..^Extension.Length], baseName))
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // null when the name is gone (gone: it moved on, list again) or cannot be read or is no
    // regular file (left out).
    private static CompressedGeneration? TryOpen(string path, int number, out bool gone)
    {
        var fd = LibC.Open(path, LibC.OpenReadOnly);
        if (fd < 0)
        {
            gone = Marshal.GetLastPInvokeError() is 2 or 20;
            return null;
        }

        gone = false;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = FileStatus.OfHandle(handle);
        if (!status.IsRegularFile)
        {
            handle.Dispose();
            return null;
        }

        return new CompressedGeneration(handle, path, status, number);
    }

    private byte[] Head()
    {
        if (_head is null)
        {
            var bytes = new byte[FileHead.Size];
            var got = 0;
            try
            {
                using var gzip = Open();
                while (got < bytes.Length && gzip.Read(bytes.AsSpan(got)) is var n and > 0)
                {
                    got += n;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                got = 0;
            }

            _head = bytes[..got];
        }

        return _head;
    }

    private GZipStream Open()
    {
        // A second SafeFileHandle on the same descriptor that does not own it: the stream reads
        // with its own position, and closing the stream leaves this generation's handle open.
        var borrowed = new SafeFileHandle(_handle.DangerousGetHandle(), ownsHandle: false);
        return new GZipStream(new FileStream(borrowed, FileAccess.Read, 0), CompressionMode.Decompress);
    }
}
