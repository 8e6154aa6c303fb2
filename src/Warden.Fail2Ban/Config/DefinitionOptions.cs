using System.Text.RegularExpressions;
using Warden.Fail2Ban.Ini;

namespace Warden.Fail2Ban.Config;

/// <summary>
/// The options of a filter or action file after fail2ban has combined them
/// (client/configreader.py <c>DefinitionInitConfigReader</c>): the wanted [Definition] options,
/// every [Init] option (also as <c>known/NAME</c>), the options passed in the jail's
/// <c>NAME[...]</c> reference (which win over [Init]), all with <c>&lt;tag&gt;</c> references
/// resolved against each other and, lazily, against any [Definition] option. Values keep the file
/// and line they came from. Immutable.
/// </summary>
public sealed partial class DefinitionOptions
{
    private const string Definition = "Definition";
    private const string Init = "Init";
    private readonly OrderedDictionary<string, IniValue> _values;

    private DefinitionOptions(OrderedDictionary<string, IniValue> values)
    {
        _values = values;
    }

    /// <summary>All combined options, in order.</summary>
    public IEnumerable<KeyValuePair<string, IniValue>> All => _values;

    /// <summary>A combined option, or <c>null</c>.</summary>
    public IniValue? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>Combines the options of a loaded file.</summary>
    /// <param name="config">The loaded file with its layers.</param>
    /// <param name="wanted">The [Definition] options the reader needs (<c>failregex</c>, <c>actionban</c>, ...).</param>
    /// <param name="passed">Options from the jail's <c>NAME[...]</c> reference.</param>
    /// <param name="jailOptions">Options of the jail itself, visible to <c>%(name)s</c>, or <c>null</c>.</param>
    /// <param name="allDefinition">Also include every other [Definition] option (fail2ban's <c>all=True</c>).</param>
    /// <param name="ignoreTags">Tags left unresolved because their values come later (an action's ban tags, actionreader.py convert).</param>
    /// <exception cref="ConfigException">An interpolation or a tag cannot be resolved.</exception>
    public static DefinitionOptions Combine(
        LayeredConfig config,
        IEnumerable<string> wanted,
        IReadOnlyDictionary<string, string> passed,
        IReadOnlyDictionary<string, string>? jailOptions = null,
        bool allDefinition = false,
        IReadOnlySet<string>? ignoreTags = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(passed);
        var init = new OrderedDictionary<string, IniValue>(StringComparer.Ordinal);
        foreach (var (key, value) in passed)
        {
            init[key] = new IniValue(value, "(options passed by the jail)", 0);
        }

        // getOptions(): interpolation sees the jail's options overridden by the passed ones.
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in jailOptions ?? new Dictionary<string, string>())
        {
            vars[key] = value;
        }

        foreach (var (key, value) in passed)
        {
            vars[key] = value;
        }

        var definition = new OrderedDictionary<string, IniValue>(StringComparer.Ordinal);
        if (config.HasSection(Definition))
        {
            foreach (var name in wanted)
            {
                if (!vars.ContainsKey(name) && config.Get(Definition, name, vars) is { } value)
                {
                    definition[name] = value;
                }
            }
        }

        if (config.HasSection(Init))
        {
            foreach (var name in config.OptionNames(Init, withDefaults: false))
            {
                if (name.StartsWith("known/", StringComparison.Ordinal))
                {
                    continue;
                }

                var value = config.Get(Init, name)!;
                init["known/" + name] = value;
                init.TryAdd(name, value);
            }
        }

        if (allDefinition && config.HasSection(Definition))
        {
            foreach (var name in config.OptionNames(Definition, withDefaults: true))
            {
                if (!definition.ContainsKey(name) && config.Get(Definition, name, vars) is { } value)
                {
                    definition[name] = value;
                }
            }
        }

        // getCombined(): [Init] and passed options win over [Definition]; conditional options
        // (name?cond=value) are left for the action to pick, so their base tags stay unresolved.
        var combined = new OrderedDictionary<string, IniValue>(definition, StringComparer.Ordinal);
        foreach (var (key, value) in init)
        {
            combined[key] = value;
        }

        var ignore = new HashSet<string>(ignoreTags ?? new HashSet<string>(), StringComparer.Ordinal);
        foreach (var key in combined.Keys)
        {
            var condition = ConditionalRegex().Match(key);
            if (condition.Success)
            {
                ignore.Add(condition.Groups[1].Value);
            }
        }

        var cache = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Lookup(string tag)
        {
            if (!cache.TryGetValue(tag, out var found))
            {
                found = config.HasSection(Definition) ? config.Get(Definition, tag, vars)?.Text : null;
                cache[tag] = found;
            }

            return found;
        }

        OrderedDictionary<string, string> substituted;
        try
        {
            substituted = TagSubstitution.Substitute(
                combined.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Text)), Lookup, ignore);
        }
        catch (FormatException ex)
        {
            var first = combined.Count > 0 ? combined.GetAt(0).Value : null;
            throw new ConfigException(first?.File ?? (config.Files.Count > 0 ? config.Files[0] : null) ?? "(config)", first?.Line ?? 0, ex.Message, ex);
        }

        var result = new OrderedDictionary<string, IniValue>(StringComparer.Ordinal);
        foreach (var (key, text) in substituted)
        {
            result[key] = combined[key] with { Text = text };
        }

        return new DefinitionOptions(result);
    }

    // configparserinc.py CONDITIONAL_RE.
    [GeneratedRegex(@"^(\w+)(\?.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ConditionalRegex();
}
