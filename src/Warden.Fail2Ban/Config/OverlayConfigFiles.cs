namespace Warden.Fail2Ban.Config;

/// <summary>
/// Several configuration roots seen as one, the first winning: the administrator's directory
/// over the files Warden ships. A relative path is served by the first layer that has it, so a
/// user's <c>filter.d/common.conf</c> replaces the shipped one for every filter that includes it;
/// a directory listing is the union of the layers, a name in an earlier layer hiding the same
/// name in a later one.
/// </summary>
public sealed class OverlayConfigFiles : IConfigFiles
{
    private readonly IConfigFiles[] _layers;

    /// <summary>Layers, highest priority first.</summary>
    public OverlayConfigFiles(params IConfigFiles[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers;
    }

    /// <inheritdoc />
    public bool Exists(string path) => Array.Exists(_layers, l => l.Exists(path));

    /// <inheritdoc />
    public ConfigText? Read(string path)
    {
        foreach (var layer in _layers)
        {
            var text = layer.Read(path);
            if (text is not null)
            {
                return text;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List(string directory, string suffix)
    {
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var layer in _layers)
        {
            all.UnionWith(layer.List(directory, suffix));
        }

        return [.. all];
    }
}
