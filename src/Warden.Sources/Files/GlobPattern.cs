namespace Warden.Sources.Files;

/// <summary>
/// A <c>logpath</c> with shell wildcards (<c>*</c>, <c>?</c>, <c>[a-z]</c>, <c>[!x]</c>) in any
/// component, expanded as fail2ban expands it (Python's glob.glob, client/jailreader.py): a
/// wildcard never matches <c>/</c>, and never a leading dot unless the pattern has one.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string[] _components;

    private GlobPattern(string pattern)
    {
        Pattern = pattern;
        _components = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The absolute pattern.</summary>
    public string Pattern { get; }

    /// <summary>True when <paramref name="path"/> contains a wildcard character.</summary>
    public static bool HasWildcards(string path) => path.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>Parses an absolute pattern.</summary>
    public static GlobPattern Parse(string pattern) => new(Path.GetFullPath(pattern));

    /// <summary>The deepest directory without wildcards: where new matches can first appear.</summary>
    public string Root
    {
        get
        {
            var plain = _components.TakeWhile(c => !HasWildcards(c)).ToList();
            if (plain.Count == _components.Length)
            {
                plain.RemoveAt(plain.Count - 1);
            }

            return "/" + string.Join('/', plain);
        }
    }

    /// <summary>The regular files (or symlinks to them) that match now, sorted.</summary>
    public IReadOnlyList<string> Expand()
    {
        var paths = new List<string> { "/" };
        for (var i = 0; i < _components.Length; i++)
        {
            var component = _components[i];
            var last = i == _components.Length - 1;
            var next = new List<string>();
            foreach (var directory in paths)
            {
                if (!HasWildcards(component))
                {
                    next.Add(Path.Combine(directory, component));
                    continue;
                }

                next.AddRange(Entries(directory, last).Where(e => Matches(component, Path.GetFileName(e))));
            }

            paths = next;
        }

        return [.. paths.Where(File.Exists).Order(StringComparer.Ordinal)];
    }

    /// <summary>fnmatch(3) without flags beyond FNM_PERIOD: does <paramref name="name"/> match <paramref name="pattern"/>?</summary>
    public static bool Matches(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        // Iterative matching with one backtrack point per star: linear in practice, never exponential.
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
            }
            else if (p < pattern.Length && MatchOne(pattern, ref p, name[n]))
            {
                n++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                n = ++starN;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool MatchOne(string pattern, ref int p, char c)
    {
        if (pattern[p] == '?')
        {
            p++;
            return true;
        }

        if (pattern[p] == '[' && ClassEnd(pattern, p) is var end and > 0)
        {
            var i = p + 1;
            var negate = pattern[i] is '!' or '^';
            i += negate ? 1 : 0;
            var found = false;
            for (var first = true; i < end; first = false)
            {
                if (i + 2 < end && pattern[i + 1] == '-' && !(first && pattern[i] == ']'))
                {
                    found |= c >= pattern[i] && c <= pattern[i + 2];
                    i += 3;
                }
                else
                {
                    found |= c == pattern[i++];
                }
            }

            if (found == negate)
            {
                return false;
            }

            p = end + 1;
            return true;
        }

        if (pattern[p] != c)
        {
            return false;
        }

        p++;
        return true;
    }

    private static int ClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] is '!' or '^')
        {
            i++;
        }

        // A ']' right after '[' (or '[!') is a member, not the end.
        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        var close = pattern.IndexOf(']', i);
        return close;
    }

    private static List<string> Entries(string directory, bool files)
    {
        try
        {
            return files ? Directory.EnumerateFileSystemEntries(directory).ToList() : Directory.EnumerateDirectories(directory).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
