using System.IO.Compression;
using System.Text;

namespace Warden.Sources.Files;

/// <summary>
/// A log's whole history on disk, for a replay: its rotated generations oldest first, compressed
/// ones included (<c>auth.log.3.gz</c>, <c>auth.log.2.gz</c>, <c>auth.log.1</c>, <c>auth.log</c>; or
/// logrotate's dated names in date order), and their lines.
/// </summary>
public static class LogHistory
{
    /// <summary>The files a <c>logpath</c> names: itself, or what its glob matches now, in name order.</summary>
    public static IReadOnlyList<string> Expand(string logPath)
    {
        ArgumentNullException.ThrowIfNull(logPath);
        return GlobPattern.HasWildcards(logPath) ? GlobPattern.Parse(logPath).Expand() : [Path.GetFullPath(logPath)];
    }

    /// <summary>
    /// The generations of <paramref name="path"/>, oldest first, ending with <paramref name="path"/>
    /// itself when it exists: dated names by date, then numbered names from the highest number.
    /// </summary>
    public static IReadOnlyList<string> Generations(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? "/";
        var baseName = Path.GetFileName(full);
        var rotated = new List<(string Path, int Number, string Name)>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFiles(directory, baseName + "*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            entries = [];
        }

        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            var plain = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
            if (RotatedNames.IsGeneration(plain, baseName))
            {
                rotated.Add((entry, RotatedNames.Number(plain, baseName), plain));
            }
        }

        var ordered = rotated
            .OrderBy(r => r.Number == 0 ? 0 : 1)
            .ThenBy(r => r.Number == 0 ? r.Name : string.Empty, StringComparer.Ordinal)
            .ThenByDescending(r => r.Number)
            .Select(r => r.Path)
            .ToList();
        if (File.Exists(full))
        {
            ordered.Add(full);
        }

        return ordered;
    }

    /// <summary>The lines of <paramref name="file"/>, decompressed when it ends in <c>.gz</c>; invalid UTF-8 is replaced, never fatal.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static IEnumerable<string> ReadLines(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Stream stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        if (file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        return Lines(stream);
    }

    private static IEnumerable<string> Lines(Stream stream)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, false), false, 1 << 16);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
