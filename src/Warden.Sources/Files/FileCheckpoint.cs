using System.Globalization;
using Warden.Sources.Native;

namespace Warden.Sources.Files;

/// <summary>
/// Where a file source resumes, as the text the engine stores. Version 2 layout:
/// <c>f2 DEV:INO OFFSET HEADLEN:HEADHASH FLAG PATH</c>, or <c>f1 absent</c> when the log did not
/// exist yet (whatever appears later is read from its start). Version 1 (<c>f1</c>) is the same
/// with a SHA-256 head hash instead of XxHash3 (<see cref="FileHead"/>); it is still read.
/// </summary>
/// <param name="Identity">Device and inode of the file being read.</param>
/// <param name="Offset">Byte offset of the next unread line.</param>
/// <param name="Head">Fingerprint of the file's first bytes.</param>
/// <param name="Discarding">At <paramref name="Offset"/> the rest of a line is skipped (an over-long line's tail, or the partial line a first run started in).</param>
/// <param name="Path">The name the file had when it was opened (a rotated name or a symlink target), a hint for finding it again.</param>
internal sealed record FileCheckpoint(FileIdentity Identity, long Offset, FileHead Head, bool Discarding, string Path)
{
    private const string Version = "f2";
    private const string Sha256Version = "f1";
    private const string AbsentToken = "f1 absent";

    /// <summary>Token of a source whose file did not exist.</summary>
    public static string Absent => AbsentToken;

    /// <summary>Parses a token; <c>null</c> when it is <see cref="Absent"/>.</summary>
    /// <exception cref="FormatException">The token was not written by this version.</exception>
    public static FileCheckpoint? Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token == AbsentToken)
        {
            return null;
        }

        var parts = token.Split(' ', 6);
        if (parts.Length != 6 || parts[0] is not (Version or Sha256Version) || parts[4] is not ("d" or "-"))
        {
            throw new FormatException("not a file checkpoint");
        }

        try
        {
            return Parse(parts);
        }
        catch (OverflowException ex)
        {
            throw new FormatException("not a file checkpoint", ex);
        }
    }

    /// <summary>The token.</summary>
    public override string ToString() =>
        $"{(Head.Sha256 ? Sha256Version : Version)} {Identity.Device:x}:{Identity.Inode} {Offset} {Head.Length}:{Head.Hash:x} {(Discarding ? "d" : "-")} {Path}";

    private static FileCheckpoint Parse(string[] parts)
    {
        var (dev, ino) = Pair(parts[1]);
        var (headLength, headHash) = Pair(parts[3]);
        return new FileCheckpoint(
            new FileIdentity(ulong.Parse(dev, NumberStyles.HexNumber), ulong.Parse(ino, CultureInfo.InvariantCulture)),
            long.Parse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture),
            new FileHead(int.Parse(headLength, NumberStyles.None, CultureInfo.InvariantCulture), ulong.Parse(headHash, NumberStyles.HexNumber), parts[0] == Sha256Version),
            parts[4] == "d",
            parts[5]);
    }

    private static (string, string) Pair(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? (text[..colon], text[(colon + 1)..]) : throw new FormatException("not a file checkpoint");
    }
}
