using System.Text;
using Warden.Fail2Ban.Ini;

namespace Warden.Fail2Ban.Config;

/// <summary>
/// configparser's BasicInterpolation as fail2ban extends it (configparserinc.py): <c>%(name)s</c>
/// looks the name up in the passed vars, then the section, then DEFAULT; <c>%(section/name)s</c>
/// takes the raw value from another section, <c>%(known/name)s</c> the value before the last
/// override, <c>%(default/name)s</c> DEFAULT's; <c>%(__name__)s</c> is the section's name;
/// <c>%%</c> is a percent sign. Inserted values are interpolated again in the same section, at
/// most 10 levels deep (configparser's MAX_INTERPOLATION_DEPTH).
/// </summary>
internal sealed class Interpolation(LayeredConfig config, string section, IReadOnlyDictionary<string, string>? vars)
{
    private const int MaxDepth = 10;

    public string Expand(IniValue value, string option)
    {
        if (!value.Text.Contains('%', StringComparison.Ordinal))
        {
            return value.Text;
        }

        var builder = new StringBuilder(value.Text.Length);
        Expand(value, option, value.Text, builder, 1);
        return builder.ToString();
    }

    private void Expand(IniValue origin, string option, string rest, StringBuilder output, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error(origin, $"option '{option}' in [{section}]: interpolation too deep (more than {MaxDepth} levels; a reference loop?)");
        }

        var i = 0;
        while (i < rest.Length)
        {
            var percent = rest.IndexOf('%', i);
            if (percent < 0)
            {
                output.Append(rest, i, rest.Length - i);
                return;
            }

            output.Append(rest, i, percent - i);
            var next = percent + 1 < rest.Length ? rest[percent + 1] : '\0';
            if (next == '%')
            {
                output.Append('%');
                i = percent + 2;
                continue;
            }

            var close = next == '(' ? rest.IndexOf(')', percent + 2) : -1;
            if (close < 0 || close == percent + 2 || close + 1 >= rest.Length || rest[close + 1] != 's')
            {
                throw Error(origin, next == '('
                    ? $"option '{option}' in [{section}]: bad interpolation reference '{Quote.Clip(rest[percent..], 40)}'"
                    : $"option '{option}' in [{section}]: '%' must be followed by '%' or '(' (write %% for a literal percent)");
            }

            var name = rest[(percent + 2)..close].ToLowerInvariant();
            var value = Lookup(name) ?? throw Error(origin,
                $"option '{option}' in [{section}]: '%({name})s' refers to an option that is not defined");
            if (value.Contains('%', StringComparison.Ordinal))
            {
                Expand(origin, option, value, output, depth + 1);
            }
            else
            {
                output.Append(value);
            }

            i = close + 2;
        }
    }

    private string? Lookup(string name)
    {
        if (name == "__name__")
        {
            return section;
        }

        if (vars is not null && LayeredConfig.TryGetVar(vars, name, out var passed))
        {
            return passed;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return config.GetRaw(section, name)?.Text;
        }

        var qualifier = name[..slash];
        var option = name[(slash + 1)..];
        var found = qualifier switch
        {
            "known" => config.GetKnownRaw(section, option),
            "default" => null,
            _ => config.HasSection(qualifier) ? config.GetOwnRaw(qualifier, option) : null,
        };
        return (found ?? config.GetOwnRaw(LayeredConfig.DefaultSection, option))?.Text;
    }

    private static ConfigException Error(IniValue origin, string message) => new(origin.File, origin.Line, message);

}
