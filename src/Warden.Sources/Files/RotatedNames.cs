using System.Globalization;

namespace Warden.Sources.Files;

/// <summary>
/// Which files next to a log are its rotated generations, and in what order. Covers logrotate's
/// numbered names (<c>auth.log.1</c>, larger is older) and its <c>dateext</c> names
/// (<c>auth.log-20240101</c>, <c>auth.log.2024-01-01</c>). Compressed generations are not listed
/// here: nobody writes them any more, so they are looked at only when no plain file holds what a
/// reader was reading (<see cref="CompressedGeneration"/>).
/// </summary>
internal static class RotatedNames
{
    private static readonly string[] CompressedExtensions = [".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".lzo", ".z", ".zip", ".7z", ".br"];

    /// <summary>Names in <paramref name="directory"/> that look like rotated generations of <paramref name="baseName"/>.</summary>
    public static IEnumerable<string> List(string directory, string baseName)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFiles(directory, baseName + "*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return entries.Where(p => IsGeneration(Path.GetFileName(p), baseName));
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="baseName"/>, a separator (<c>.</c>, <c>-</c>, <c>_</c>) and a suffix starting with a digit, not compressed.</summary>
    public static bool IsGeneration(string name, string baseName)
    {
        if (name.Length < baseName.Length + 2 || !name.StartsWith(baseName, StringComparison.Ordinal))
        {
            return false;
        }

        var separator = name[baseName.Length];
        if (separator is not ('.' or '-' or '_') || !char.IsAsciiDigit(name[baseName.Length + 1]))
        {
            return false;
        }

        return !CompressedExtensions.Any(ext => name.EndsWith(ext, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The rotation number of a numbered generation (<c>.1</c>, <c>.12</c>), or 0 for other names.
    /// Up to six digits: longer digit runs are dates (<c>-20240101</c>), which sort by name instead.
    /// </summary>
    public static int Number(string name, string baseName)
    {
        var suffix = name.AsSpan(Math.Min(name.Length, baseName.Length + 1));
        return suffix.Length is > 0 and <= 6 && int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
