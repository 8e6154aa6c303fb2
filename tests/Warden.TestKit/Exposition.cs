using System.Globalization;
using System.Text;

namespace Warden.TestKit;

/// <summary>
/// A strict reader of Prometheus text format 0.0.4, for tests: every line is HELP, TYPE or a
/// sample; a sample needs its family's TYPE before it; label values are unescaped. Throws
/// <see cref="FormatException"/> on anything else, so a test fails on malformed output.
/// </summary>
public sealed class Exposition
{
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);

    public List<Sample> Samples { get; } = [];

    public static Exposition Parse(string text)
    {
        var result = new Exposition();
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the text does not end with a line feed");
        }

        foreach (var line in text.Split('\n').SkipLast(1))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                result.Help[rest[..space]] = rest[(space + 1)..].Replace(@"\n", "\n", StringComparison.Ordinal).Replace(@"\\", @"\", StringComparison.Ordinal);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                if (parts.Length != 2 || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped") || !result.Types.TryAdd(parts[0], parts[1]))
                {
                    throw new FormatException($"bad or repeated TYPE line: {line}");
                }
            }
            else
            {
                var sample = ParseSample(line);
                if (!result.Types.ContainsKey(sample.Family(result.Types)))
                {
                    throw new FormatException($"sample before its TYPE: {line}");
                }

                result.Samples.Add(sample);
            }
        }

        return result;
    }

    /// <summary>The one sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/> ("k=v").</summary>
    public double Value(string name, params string[] labels)
    {
        var found = Find(name, labels).ToList();
        return found.Count == 1 ? found[0].Value : throw new InvalidOperationException($"{found.Count} samples of {name} {string.Join(",", labels)}");
    }

    public IEnumerable<Sample> Find(string name, params string[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l[..l.IndexOf('=', StringComparison.Ordinal)], out var v) && v == l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]));

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        if (i == 0 || char.IsAsciiDigit(line[0]))
        {
            throw new FormatException($"bad metric name: {line}");
        }

        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_')
                {
                    i++;
                }

                var key = line[start..i];
                if (key.Length == 0 || line[i] != '=' || line[i + 1] != '"')
                {
                    throw new FormatException($"bad label at {start}: {line}");
                }

                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"bad escape at {i}: {line}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                i++;
                if (!labels.TryAdd(key, value.ToString()))
                {
                    throw new FormatException($"label {key} twice: {line}");
                }

                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException($"bad label separator at {i}: {line}");
                }
            }

            i++;
        }

        if (line[i] != ' ')
        {
            throw new FormatException($"no space before the value: {line}");
        }

        var text = line[(i + 1)..];
        var number = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }

    public sealed record Sample(string Name, Dictionary<string, string> Labels, double Value)
    {
        /// <summary>The family a sample belongs to: a histogram's _bucket, _sum and _count belong to its name.</summary>
        public string Family(Dictionary<string, string> types)
        {
            foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            {
                if (Name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(Name[..^suffix.Length], out var type) && type == "histogram")
                {
                    return Name[..^suffix.Length];
                }
            }

            return Name;
        }
    }
}
