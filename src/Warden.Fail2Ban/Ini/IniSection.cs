namespace Warden.Fail2Ban.Ini;

/// <summary>
/// One <c>[section]</c> of one file: its options in the order written. Option names are
/// lower-cased, as Python's configparser (which fail2ban uses) does.
/// </summary>
public sealed class IniSection
{
    private readonly Dictionary<string, IniValue> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Creates an empty section.</summary>
    public IniSection(string name, string file, int line)
    {
        Name = name;
        File = file;
        Line = line;
    }

    /// <summary>The section name, case kept (<c>DEFAULT</c>, <c>sshd</c>).</summary>
    public string Name { get; }

    /// <summary>The file holding the section header.</summary>
    public string File { get; }

    /// <summary>The header's line.</summary>
    public int Line { get; }

    /// <summary>Option names in the order first written.</summary>
    public IReadOnlyList<string> Keys => _order;

    /// <summary>The value of an option, or <c>null</c>.</summary>
    public IniValue? this[string key] => _values.GetValueOrDefault(key.ToLowerInvariant());

    /// <summary>True when the option is set here.</summary>
    public bool Contains(string key) => _values.ContainsKey(key.ToLowerInvariant());

    /// <summary>Sets an option; a later value of the same name replaces the earlier one.</summary>
    public void Set(string key, IniValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = key.ToLowerInvariant();
        if (!_values.ContainsKey(name))
        {
            _order.Add(name);
        }

        _values[name] = value;
    }

    /// <summary>Removes an option; returns whether it was there.</summary>
    public bool Remove(string key)
    {
        var name = key.ToLowerInvariant();
        if (!_values.Remove(name))
        {
            return false;
        }

        _order.Remove(name);
        return true;
    }
}
