using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Warden.Fail2Ban.Filters;

namespace Warden.Fail2Ban.Tests.Conformance;

/// <summary>
/// Runs one filter's sample log the way fail2ban's tests/samplestestcase.py does: annotations
/// <c># failJSON:</c> (the next line's expected result), <c># fileOptions:</c>,
/// <c># filterOptions:</c> (one or several option sets, each a separately loaded filter whose
/// state lives across the whole run), <c># addFILE:</c>; constraints; every failregex must be hit
/// by some sample. Filters are used as fail2ban's tests use them: every regex tried on every
/// line, lines without a usable date keep no time.
/// </summary>
internal sealed partial class SampleRunner(string logsDirectory, TimeZoneInfo zone, DateTimeOffset now, Func<string, IReadOnlyDictionary<string, string>, FilterDefinition> load)
{
    private readonly Dictionary<string, (FilterInstance Filter, HashSet<int> Used)> _filters = new(StringComparer.Ordinal);

    public SampleResult Run(string name)
    {
        var result = new SampleResult(name);
        var files = new List<string> { name };
        var commonOptions = new Dictionary<string, string>(StringComparer.Ordinal);
        List<(string Name, FilterInstance Filter, HashSet<int> Used, Dictionary<string, string> Options)>? tests = null;
        JsonElement? expected = null;
        if (!File.Exists(Path.Combine(logsDirectory, name)))
        {
            result.Fail(0, $"no sample log file for filter '{name}'");
            return result;
        }

        for (var f = 0; f < files.Count; f++)
        {
            var lines = File.ReadAllLines(Path.Combine(logsDirectory, files[f]));
            var ignoreBlock = false;
            for (var n = 0; n < lines.Length; n++)
            {
                var line = lines[n];
                var annotation = AnnotationRegex().Match(line);
                if (annotation.Success)
                {
                    var data = JsonDocument.Parse(annotation.Groups[2].Value).RootElement.Clone();
                    switch (annotation.Groups[1].Value)
                    {
                        case "fileOptions":
                            commonOptions = ToOptions(data);
                            continue;
                        case "filterOptions":
                            tests = [];
                            ignoreBlock = false;
                            var sets = data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data];
                            foreach (var set in sets)
                            {
                                var options = new Dictionary<string, string>(commonOptions, StringComparer.Ordinal);
                                foreach (var (key, value) in ToOptions(set))
                                {
                                    options[key] = value;
                                }

                                if (options.TryGetValue("test.condition", out var condition))
                                {
                                    ignoreBlock = !Constraint.Evaluate(condition, name, options);
                                }

                                if (!ignoreBlock)
                                {
                                    var filterOptions = options.Where(kv => !kv.Key.StartsWith("test.", StringComparison.Ordinal))
                                        .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                                    var filterName = name + (options.GetValueOrDefault("test.filter-name") ?? Key(filterOptions));
                                    var (filter, used) = Filter(filterName, filterOptions);
                                    tests.Add((filterName, filter, used, options));
                                }
                            }

                            continue;
                        case "addFILE":
                            files.Add(data.GetString()!);
                            continue;
                        default:
                            expected = data;
                            if (++n >= lines.Length)
                            {
                                continue;
                            }

                            line = lines[n];
                            break;
                    }
                }
                else if (ignoreBlock || line.StartsWith('#') || line.Trim().Length == 0)
                {
                    continue;
                }
                else
                {
                    expected = null;
                }

                if (ignoreBlock)
                {
                    continue;
                }

                if (tests is null || tests.Count == 0)
                {
                    var (filter, used) = Filter(name, new Dictionary<string, string>());
                    tests = [(name, filter, used, new Dictionary<string, string>())];
                }

                line = line.TrimEnd('\r', '\n');
                foreach (var test in tests)
                {
                    if (expected is { } exp && exp.TryGetProperty("constraint", out var constraint)
                        && !Constraint.Evaluate(constraint.GetString()!, name, test.Options))
                    {
                        continue;
                    }

                    if (test.Options.GetValueOrDefault("logtype") == "journal" && test.Options.GetValueOrDefault("test.prefix-line") is { } prefix)
                    {
                        line = prefix + line;
                    }

                    var error = Check(test.Filter, test.Used, line, expected, test.Options);
                    var where = $"{files[f]}:{n + 1} [{test.Name}]";
                    if (error is null)
                    {
                        result.Pass();
                    }
                    else
                    {
                        result.Fail(n + 1, $"{where}: {error}\n    line: {line}");
                    }
                }
            }
        }

        foreach (var (filterName, (filter, used)) in _filters)
        {
            var regexes = filter.Definition.FailRegexTexts;
            for (var i = 0; i < regexes.Count; i++)
            {
                if (!used.Contains(i) && !_filters.Values.Any(o => o.Filter.Definition.FailRegexTexts.Select((r, j) => (r, j)).Any(p => p.r == regexes[i] && o.Used.Contains(p.j))))
                {
                    result.Fail(0, $"{filterName}: regex #{i} has no sample: {regexes[i]}");
                }
            }
        }

        return result;
    }

    private string? Check(FilterInstance filter, HashSet<int> used, string line, JsonElement? expected, Dictionary<string, string> options)
    {
        var raw = new List<RawFailure>();
        filter.ProcessRaw(line, options.GetValueOrDefault("logtype") == "journal" ? now.ToUnixTimeSeconds() : null, raw);
        var found = new List<RawFailure>();
        foreach (var failure in raw)
        {
            if (failure.IsNoFailure)
            {
                used.Add(failure.RegexIndex);
                continue;
            }

            found.Add(failure);
        }

        var shouldMatch = expected is { } e && e.TryGetProperty("match", out var m) && m.ValueKind == JsonValueKind.True;
        if (found.Count == 0)
        {
            return shouldMatch ? "line not matched when it should have been" : null;
        }

        if (!shouldMatch)
        {
            return $"line matched (regex #{found[0].RegexIndex}) when it should not have been";
        }

        if (found.Count != 1)
        {
            return $"several regexes matched: {string.Join(", ", found.Select(f => f.RegexIndex))}";
        }

        var hit = found[0];
        foreach (var property in expected!.Value.EnumerateObject())
        {
            if (property.Name is "time" or "match" or "desc" or "constraint")
            {
                continue;
            }

            var problem = CompareField(hit, property.Name, property.Value);
            if (problem is not null)
            {
                return problem;
            }
        }

        if (expected.Value.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.String)
        {
            var text = time.GetString()!;
            var parts = JsonTimeRegex().Match(text);
            var local = new DateTime(Int(parts, 1), Int(parts, 2), Int(parts, 3), Int(parts, 4), Int(parts, 5), Int(parts, 6));
            var want = TestZone.LocalToUnix(local, zone) + (parts.Groups[7].Success ? double.Parse("0." + parts.Groups[7].Value, CultureInfo.InvariantCulture) : 0);
            if (hit.Time is not { } got || Math.Abs(got - want) > 0.0005)
            {
                return $"time {Describe(hit.Time)} != expected {text} ({want})";
            }
        }

        used.Add(hit.RegexIndex);
        return null;
    }

    private static string? CompareField(RawFailure hit, string key, JsonElement want)
    {
        var value = hit.Data[key];
        if (value is null && key == "host")
        {
            value = hit.Id;
        }

        if (value is null && key == "attempts")
        {
            value = hit.Data.Matches.Count;
        }

        if (want.ValueKind == JsonValueKind.Array)
        {
            var expectedItems = want.EnumerateArray().Select(x => x.ToString()).Order(StringComparer.Ordinal).ToList();
            var actualItems = value switch
            {
                HashSet<string> set => set.Order(StringComparer.Ordinal).ToList(),
                List<string?> list => list.Select(x => x ?? "None").Order(StringComparer.Ordinal).ToList(),
                _ => null,
            };
            return actualItems is not null && actualItems.SequenceEqual(expectedItems) ? null
                : $"{key}: got {Describe(value)}, expected [{string.Join(", ", expectedItems)}]";
        }

        if (want.ValueKind == JsonValueKind.Null)
        {
            return value is null ? null : $"{key}: got {Describe(value)}, expected null";
        }

        var expectedText = want.ValueKind == JsonValueKind.String ? want.GetString()! : want.GetRawText();
        var equal = value switch
        {
            FailureId id => id.Address is not null
                ? FailureId.Parse(expectedText, null, null).Text == id.Text
                : id.Text == expectedText,
            int count => count.ToString(CultureInfo.InvariantCulture) == expectedText,
            string text => text == expectedText,
            _ => false,
        };
        return equal ? null : $"{key}: got {Describe(value)}, expected {expectedText}";
    }

    private (FilterInstance Filter, HashSet<int> Used) Filter(string filterName, IReadOnlyDictionary<string, string> options)
    {
        if (!_filters.TryGetValue(filterName, out var entry))
        {
            var definition = load(filterName, options);
            entry = (definition.CreateFilter(new FilterBehavior(CheckAllRegex: true, DateFallbackToNow: false)), []);
            _filters[filterName] = entry;
        }

        return entry;
    }

    private static Dictionary<string, string> ToOptions(JsonElement element)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                options[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return options;
    }

    private static string Key(Dictionary<string, string> options) =>
        options.Count == 0 ? string.Empty : "{" + string.Join(", ", options.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"'{kv.Key}': '{kv.Value}'")) + "}";

    private static string Describe(object? value) => value switch
    {
        null => "None",
        FailureId id => id.Text,
        HashSet<string> set => "{" + string.Join(", ", set.Order(StringComparer.Ordinal)) + "}",
        List<string?> list => "(" + string.Join(", ", list) + ")",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    private static int Int(Match match, int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    // Python's strptime("%Y-%m-%dT%H:%M:%S[.%f]") accepts one-digit fields.
    [GeneratedRegex(@"^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$")]
    private static partial Regex JsonTimeRegex();

    [GeneratedRegex(@"^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$")]
    private static partial Regex AnnotationRegex();
}
