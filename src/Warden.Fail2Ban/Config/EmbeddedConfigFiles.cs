using System.Reflection;

namespace Warden.Fail2Ban.Config;

/// <summary>
/// Configuration files compiled into an assembly as embedded resources, so Warden ships as one
/// binary. A resource's logical name is its relative path (<c>filter.d/sshd.conf</c>) under a prefix.
/// </summary>
public sealed class EmbeddedConfigFiles : IConfigFiles
{
    private readonly Dictionary<string, string> _resources = new(StringComparer.Ordinal);
    private readonly Assembly _assembly;

    /// <summary>Serves the resources of <paramref name="assembly"/> whose names start with <paramref name="prefix"/>.</summary>
    public EmbeddedConfigFiles(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(prefix);
        _assembly = assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                _resources[name[prefix.Length..]] = name;
            }
        }
    }

    /// <summary>Relative paths of every embedded file.</summary>
    public IEnumerable<string> Paths => _resources.Keys;

    /// <inheritdoc />
    public bool Exists(string path) => _resources.ContainsKey(path);

    /// <inheritdoc />
    public ConfigText? Read(string path)
    {
        if (!_resources.TryGetValue(path, out var resource))
        {
            return null;
        }

        using var stream = _assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} vanished");
        using var reader = new StreamReader(stream);
        return new ConfigText("builtin:" + path, reader.ReadToEnd());
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List(string directory, string suffix)
    {
        var prefix = directory.TrimEnd('/') + "/";
        var names = new List<string>();
        foreach (var path in _resources.Keys)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal)
                && path.IndexOf('/', prefix.Length) < 0
                && path.EndsWith(suffix, StringComparison.Ordinal))
            {
                names.Add(path);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
