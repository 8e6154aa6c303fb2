using Microsoft.Win32.SafeHandles;

namespace Warden.Sources.Files;

/// <summary>
/// The first bytes of an open file (up to <see cref="FileHead.Size"/>), grown only from bytes the
/// reader itself read. A head taken by a separate read could come from new content written after
/// a truncation, while the lines being parsed are still the old ones; built from the reader's own
/// chunks, the head always describes the content the offsets refer to. Not thread-safe.
/// </summary>
internal sealed class HeadBytes
{
    private readonly byte[] _bytes = new byte[FileHead.Size];
    private FileHead? _fingerprint;

    /// <summary>Bytes known.</summary>
    public int Length { get; private set; }

    /// <summary>The fingerprint a checkpoint carries.</summary>
    public FileHead Fingerprint => _fingerprint ??= FileHead.Of(_bytes.AsSpan(0, Length));

    /// <summary>Reads the first bytes of a file just opened.</summary>
    public static HeadBytes Read(SafeFileHandle handle)
    {
        var head = new HeadBytes();
        head.Length = ReadAt(handle, head._bytes);
        return head;
    }

    /// <summary>A head from bytes already in memory (the decompressed start of a compressed generation).</summary>
    public static HeadBytes FromBytes(ReadOnlySpan<byte> bytes)
    {
        var head = new HeadBytes();
        head.Length = Math.Min(bytes.Length, FileHead.Size);
        bytes[..head.Length].CopyTo(head._bytes);
        return head;
    }

    /// <summary>
    /// Checks a chunk read at <paramref name="offset"/> against the known bytes and keeps what
    /// extends them. False when they disagree: the file was rewritten under the reader.
    /// </summary>
    public bool Observe(ReadOnlySpan<byte> chunk, long offset)
    {
        if (offset >= FileHead.Size || offset > Length)
        {
            return true;
        }

        var start = (int)offset;
        var overlap = Math.Min(Length - start, chunk.Length);
        if (!chunk[..overlap].SequenceEqual(_bytes.AsSpan(start, overlap)))
        {
            return false;
        }

        var extra = Math.Min(FileHead.Size - Length, chunk.Length - overlap);
        if (extra > 0)
        {
            chunk.Slice(overlap, extra).CopyTo(_bytes.AsSpan(Length));
            Length += extra;
            _fingerprint = null;
        }

        return true;
    }

    /// <summary>True when this head and <paramref name="other"/> agree on the bytes both know.</summary>
    public bool AgreesWith(HeadBytes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var common = Math.Min(Length, other.Length);
        return _bytes.AsSpan(0, common).SequenceEqual(other._bytes.AsSpan(0, common));
    }

    /// <summary>True when the file still starts with the known bytes.</summary>
    public bool MatchesFile(SafeFileHandle handle)
    {
        Span<byte> now = stackalloc byte[FileHead.Size];
        var got = ReadAt(handle, now[..Length]);
        return got == Length && now[..got].SequenceEqual(_bytes.AsSpan(0, Length));
    }

    private static int ReadAt(SafeFileHandle handle, Span<byte> buffer)
    {
        var got = 0;
        while (got < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[got..], got);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        return got;
    }
}
