using Warden.Fail2Ban.Ini;

namespace Warden.Fail2Ban.Config;

/// <summary>
/// Expands a list of configuration files into the order fail2ban reads them
/// (configparserinc.py <c>_getIncludes</c>): each file is followed by its <c>.local</c> (when that
/// exists and is not listed already), and each file is replaced by its <c>[INCLUDES] before</c>
/// files, itself, then its <c>after</c> files, recursively. A file already among its own
/// ancestors is skipped (loop guard); a missing include is skipped with a warning, as fail2ban does.
/// </summary>
internal static class IncludeResolver
{
    private const int MaxDepth = 32;

    public static List<string> Expand(
        IConfigFiles files,
        IReadOnlyList<string> paths,
        IReadOnlyList<string> ancestors,
        Dictionary<string, IniFile?> cache,
        List<string> warnings)
    {
        var withLocal = new List<string>();
        foreach (var path in paths)
        {
            withLocal.Add(path);
            var local = ChangeExtension(path, ".local");
            if (!paths.Contains(local) && files.Exists(local))
            {
                withLocal.Add(local);
            }
        }

        var result = new List<string>();
        foreach (var path in withLocal)
        {
            result.AddRange(ExpandOne(files, path, ancestors, cache, warnings));
        }

        return result;
    }

    private static List<string> ExpandOne(
        IConfigFiles files,
        string path,
        IReadOnlyList<string> ancestors,
        Dictionary<string, IniFile?> cache,
        List<string> warnings)
    {
        var ini = Parse(files, path, cache);
        if (ini is null)
        {
            warnings.Add($"{path}: included file does not exist, ignored");
            return [];
        }

        var before = new List<string>();
        var after = new List<string>();
        if (ini["INCLUDES"] is { } includes && ancestors.Count < MaxDepth)
        {
            var directory = DirectoryOf(path);
            var chain = ancestors.Append(path).ToList();
            foreach (var (option, target) in new[] { ("before", before), ("after", after) })
            {
                if (includes[option] is not { } value)
                {
                    continue;
                }

                foreach (var entry in value.Text.Split('\n'))
                {
                    var include = entry.Trim();
                    if (include.Length == 0)
                    {
                        continue;
                    }

                    var resolved = Normalize(include.StartsWith('/') ? include : Combine(directory, include));
                    if (chain.Contains(resolved))
                    {
                        continue;
                    }

                    target.AddRange(Expand(files, [resolved], chain, cache, warnings));
                }
            }
        }

        before.Add(path);
        before.AddRange(after);
        return before;
    }

    private static IniFile? Parse(IConfigFiles files, string path, Dictionary<string, IniFile?> cache)
    {
        if (!cache.TryGetValue(path, out var ini))
        {
            var text = files.Read(path);
            ini = text is null ? null : IniFile.Parse(text.DisplayPath, text.Text);
            cache[path] = ini;
        }

        return ini;
    }

    internal static string ChangeExtension(string path, string extension)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        return (dot > slash ? path[..dot] : path) + extension;
    }

    private static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    private static string Combine(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;

    private static string Normalize(string path)
    {
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return (rooted ? "/" : string.Empty) + string.Join('/', parts);
    }
}
