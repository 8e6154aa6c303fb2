using System.IO.Hashing;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Warden.Sources.Files;

/// <summary>
/// A fingerprint of a file's first bytes. Device and inode say which file a checkpoint meant, but
/// inodes are reused after delete+recreate and copytruncate keeps the inode while replacing the
/// content; the first bytes (timestamps, hostnames) tell those apart. fail2ban does the same with
/// an MD5 of the first line (server/filter.py, FileContainer).
/// </summary>
/// <remarks>
/// The hash is XxHash3: it only has to tell one log's start from another's, and SHA-256 (used by
/// checkpoints of version <c>f1</c>, still read) made the daemon load OpenSSL, about 4 MB of
/// resident memory, for nothing else. An <c>f1</c> fingerprint is checked with SHA-256, so a
/// checkpoint written before the change still resumes where it stopped.
/// </remarks>
/// <param name="Length">How many leading bytes were hashed (less than <see cref="Size"/> while the file is short).</param>
/// <param name="Hash">XxHash3 of those bytes, or the first 8 bytes of their SHA-256 when <paramref name="Sha256"/>.</param>
/// <param name="Sha256">True for a fingerprint read from an <c>f1</c> checkpoint.</param>
internal readonly record struct FileHead(int Length, ulong Hash, bool Sha256 = false)
{
    /// <summary>Bytes hashed once the file is long enough.</summary>
    public const int Size = 512;

    /// <summary>The fingerprint of an empty file.</summary>
    public static FileHead Empty { get; } = Of([]);

    /// <summary>True when the fingerprint covers all <see cref="Size"/> bytes and cannot grow.</summary>
    public bool IsComplete => Length >= Size;

    /// <summary>Fingerprints the given bytes.</summary>
    public static FileHead Of(ReadOnlySpan<byte> bytes) => new(bytes.Length, XxHash3.HashToUInt64(bytes));

    /// <summary>Fingerprints the given bytes the way <c>f1</c> checkpoints did.</summary>
    public static FileHead OfSha256(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return new FileHead(bytes.Length, BitConverter.ToUInt64(digest), Sha256: true);
    }

    /// <summary>True when the file still starts with the bytes this fingerprint was taken from.</summary>
    public bool Matches(SafeFileHandle handle) => Read(handle, Length, Sha256) == this;

    // Reads and fingerprints the first length bytes (fewer when the file is shorter).
    private static FileHead Read(SafeFileHandle handle, int length, bool sha256)
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

        return sha256 ? OfSha256(bytes[..got]) : Of(bytes[..got]);
    }
}
