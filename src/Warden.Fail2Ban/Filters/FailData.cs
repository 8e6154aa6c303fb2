namespace Warden.Fail2Ban.Filters;

/// <summary>
/// The data of one failure as fail2ban keeps it (a Python dict in server/filter.py): named groups
/// (strings, or null when the group did not take part), <c>users</c> (a set), <c>matches</c> (the
/// lines), tuple groups (lists), and the internal multi-line flags. Python truthiness rules are
/// kept because fail2ban's logic relies on them. Mutable; shared by reference like fail2ban's dict.
/// </summary>
internal sealed class FailData
{
    private readonly Dictionary<string, object?> _values;

    public FailData()
    {
        _values = new Dictionary<string, object?>(StringComparer.Ordinal);
    }

    /// <summary>An empty dict with room for <paramref name="capacity"/> keys.</summary>
    public FailData(int capacity)
    {
        _values = new Dictionary<string, object?>(capacity, StringComparer.Ordinal);
    }

    private FailData(Dictionary<string, object?> values)
    {
        _values = values;
    }

    public IEnumerable<KeyValuePair<string, object?>> Items => _values;

    public object? this[string key]
    {
        get => _values.GetValueOrDefault(key);
        set => _values[key] = value;
    }

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public string? GetString(string key) => _values.GetValueOrDefault(key) as string;

    public bool IsTrue(string key) => Truthy(_values.GetValueOrDefault(key));

    /// <summary>Python's dict.pop(key, None).</summary>
    public object? Pop(string key) => _values.Remove(key, out var value) ? value : null;

    public FailData Copy() => new(new Dictionary<string, object?>(_values, StringComparer.Ordinal));

    /// <summary>A copy with room for <paramref name="extra"/> more keys.</summary>
    public FailData Copy(int extra)
    {
        var values = new Dictionary<string, object?>(_values.Count + extra, StringComparer.Ordinal);
        foreach (var (key, value) in _values)
        {
            values[key] = value;
        }

        return new FailData(values);
    }

    public int Count => _values.Count;

    /// <summary>Python's dict.update(other).</summary>
    public void Update(FailData other, bool skipNulls = false)
    {
        foreach (var (key, value) in other._values)
        {
            if (!skipNulls || value is not null)
            {
                _values[key] = value;
            }
        }
    }

    /// <summary>The lines counted for this failure (fail2ban's "matches").</summary>
    public List<TupleLine> Matches
    {
        get => _values.GetValueOrDefault("matches") as List<TupleLine> ?? [];
        set => _values["matches"] = value;
    }

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        bool b => b,
        int i => i != 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };
}
