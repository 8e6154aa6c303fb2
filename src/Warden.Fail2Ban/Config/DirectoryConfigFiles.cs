namespace Warden.Fail2Ban.Config;

/// <summary>Configuration files under a directory on disk (e.g. <c>/etc/fail2ban</c>).</summary>
public sealed class DirectoryConfigFiles : IConfigFiles
{
    /// <summary>Serves files under <paramref name="root"/>.</summary>
    public DirectoryConfigFiles(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The directory.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public bool Exists(string path) => File.Exists(Resolve(path));

    /// <inheritdoc />
    public ConfigText? Read(string path)
    {
        var full = Resolve(path);
        if (!File.Exists(full))
        {
            return null;
        }

        if (SpecialFiles.ConfigProblem(full) is { } problem)
        {
            throw new ConfigException(full, 0, problem);
        }

        try
        {
            return new ConfigText(full, File.ReadAllText(full));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(full, 0, $"cannot read: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List(string directory, string suffix)
    {
        var full = Resolve(directory);
        if (!Directory.Exists(full))
        {
            return [];
        }

        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(full))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                names.Add(directory.TrimEnd('/') + "/" + name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Root, path);
}
