using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Warden.Sources.Files;

/// <summary>
/// A fingerprint of a file's first bytes. Device and inode say which file a checkpoint meant, but
/// inodes are reused after delete+recreate and copytruncate keeps the inode while replacing the
/// content; the first bytes (timestamps, hostnames) tell those apart. fail2ban does the same with
/// an MD5 of the first line (server/filter.py, FileContainer).
/// </summary>
/// <param name="Length">How many leading bytes were hashed (less than <see cref="Size"/> while the file is short).</param>
/// <param name="Hash">First 8 bytes of their SHA-256.</param>
internal readonly record struct FileHead(int Length, ulong Hash)
{
    /// <summary>Bytes hashed once the file is long enough.</summary>
    public const int Size = 512;

    /// <summary>The fingerprint of an empty file.</summary>
    public static FileHead Empty { get; } = Of([]);

    /// <summary>True when the fingerprint covers all <see cref="Size"/> bytes and cannot grow.</summary>
    public bool IsComplete => Length >= Size;

    /// <summary>Fingerprints the given bytes.</summary>
    public static FileHead Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return new FileHead(bytes.Length, BitConverter.ToUInt64(digest));
    }

    /// <summary>Reads and fingerprints the first <paramref name="length"/> bytes (fewer when the file is shorter).</summary>
    public static FileHead Read(SafeFileHandle handle, int length)
    {
        Span<byte> bytes = stackalloc byte[Size];
        var want = Math.Min(length, Size);
        var got = 0;
        while (got < want)
        {
            var n = RandomAccess.Read(handle, bytes[got..want], got);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        return Of(bytes[..got]);
    }

    /// <summary>True when the file still starts with the bytes this fingerprint was taken from.</summary>
    public bool Matches(SafeFileHandle handle) => Read(handle, Length) == this;
}
