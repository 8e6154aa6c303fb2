using System.Globalization;
using Warden.Fail2Ban.Config;
using Warden.Fail2Ban.Dates;
using Warden.Fail2Ban.Ini;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// Loads fail2ban filters (client/filterreader.py) by the reference a jail writes: a name looked up
/// in <c>filter.d</c> of each configuration root in turn (the administrator's first, then the
/// filters Warden ships), a name with options (<c>sshd[mode=aggressive]</c>), or a path to a
/// filter file. Every regex is compiled here, once; any problem is a <see cref="ConfigException"/>
/// naming file and line. Thread-safe.
/// </summary>
public sealed class FilterLoader
{
    private static readonly string[] FilterOptions = ["usedns", "prefregex", "ignoreregex", "failregex", "maxlines", "datepattern", "journalmatch"];
    private readonly IConfigFiles _files;
    private readonly TimeProvider _time;

    /// <summary>Creates a loader over configuration roots.</summary>
    /// <param name="configRoots">Directories holding <c>filter.d</c>, highest priority first (e.g. <c>/etc/warden</c>).</param>
    /// <param name="time">The clock (year inference) and local time zone.</param>
    /// <param name="includeShipped">Also find the filters compiled into Warden, after the roots.</param>
    public FilterLoader(IEnumerable<string> configRoots, TimeProvider time, bool includeShipped = true)
    {
        ArgumentNullException.ThrowIfNull(configRoots);
        var layers = configRoots.Select(r => (IConfigFiles)new DirectoryConfigFiles(r)).ToList();
        if (includeShipped)
        {
            layers.Add(ShippedFilters.Files);
        }

        _files = new OverlayConfigFiles([.. layers]);
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Creates a loader over any file source.</summary>
    public FilterLoader(IConfigFiles files, TimeProvider time)
    {
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>True when <paramref name="name"/> names a filter (a file filter.d/NAME.conf or .local exists).</summary>
    public bool Exists(string name) => _files.Exists($"filter.d/{name}.conf") || _files.Exists($"filter.d/{name}.local");

    /// <summary>Loads a filter by reference: <c>NAME</c>, <c>NAME[opt=value, ...]</c>, or a path to a .conf file.</summary>
    /// <param name="reference">As written after <c>filter =</c>.</param>
    /// <param name="options">Jail-level settings, or null.</param>
    /// <param name="origin">Where the reference was written (for errors), or null.</param>
    /// <exception cref="ConfigException">Unknown filter, unreadable or invalid file, bad regex; located.</exception>
    public FilterDefinition Load(string reference, FilterLoadOptions? options = null, IniValue? origin = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        options ??= FilterLoadOptions.None;
        var where = origin ?? new IniValue(reference, "(filter reference)", 0);
        ConfigReference parsed;
        try
        {
            parsed = ConfigReference.Parse(reference);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(where.File, where.Line, $"invalid filter reference '{reference}': {ex.Message}", ex);
        }

        var (config, name) = Read(parsed.Name, where);
        return Build(config, name, parsed.Options, options);
    }

    /// <summary>
    /// For <c>warden test</c>: a filter name, path, or else a literal failregex (as fail2ban-regex
    /// accepts), used with fail2ban's default date detection.
    /// </summary>
    /// <exception cref="ConfigException">The filter or regex is invalid.</exception>
    public FilterDefinition LoadForTest(string filterOrRegex, FilterLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(filterOrRegex);
        string name;
        try
        {
            name = ConfigReference.Parse(filterOrRegex).Name;
        }
        catch (FormatException)
        {
            name = filterOrRegex;
        }

        var isPath = File.Exists(name) || File.Exists(name + ".conf");
        return isPath || (IsPlainName(name) && Exists(name))
            ? Load(filterOrRegex, options)
            : FromRegex(filterOrRegex, options);
    }

    /// <summary>A filter made of one literal failregex (fail2ban-regex's REGEX argument).</summary>
    /// <exception cref="ConfigException">The regex is invalid.</exception>
    public FilterDefinition FromRegex(string failregex, FilterLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(failregex);
        options ??= FilterLoadOptions.None;
        var origin = new IniValue(failregex, "(command line)", 0);
        var regex = CompileRegex(failregex, origin, "failregex", 1, multiline: false, "warn", requireId: true, prefRegex: null);
        var datePatterns = SplitLines(options.DatePattern ?? string.Empty);
        var definition = new FilterDefinition(failregex, [], null, [regex], [], 1, datePatterns, [], ParseTimeZone(options, origin), _time);
        Validate(definition, origin);
        return definition;
    }

    private (LayeredConfig Config, string Name) Read(string name, IniValue where)
    {
        var path = File.Exists(name) ? name : File.Exists(name + ".conf") ? name + ".conf" : null;
        if (path is not null)
        {
            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full)!;
            var baseName = Path.GetFileNameWithoutExtension(full);
            if (Path.GetFileName(directory) == "filter.d")
            {
                // Inside a filter.d: full layering (.local, .d/) relative to that configuration root.
                var files = new DirectoryConfigFiles(Path.GetDirectoryName(directory)!);
                var loaded = LayeredConfig.Load(files, "filter.d/" + baseName);
                return (loaded ?? throw new ConfigException(full, 0, "cannot read filter file"), baseName);
            }

            return (LayeredConfig.LoadFiles(new DirectoryConfigFiles(directory), [full]), baseName);
        }

        if (!IsPlainName(name))
        {
            throw new ConfigException(where.File, where.Line, $"filter '{name}' not found: not a file, and not a valid filter name");
        }

        var config = LayeredConfig.Load(_files, "filter.d/" + name)
            ?? throw new ConfigException(where.File, where.Line, $"filter '{name}' not found (no filter.d/{name}.conf or .local)");
        return (config, name);
    }

    private FilterDefinition Build(LayeredConfig config, string name, IReadOnlyDictionary<string, string> passed, FilterLoadOptions options)
    {
        var origin = new IniValue(string.Empty, config.Files.Count > 0 ? config.Files[^1] : name, 0);
        var initial = new Dictionary<string, string>(passed, StringComparer.Ordinal);
        if (options.Journal is { } readsJournal && !initial.ContainsKey("logtype")
            && !config.OptionNames("Definition", withDefaults: false).Contains("logtype"))
        {
            initial["logtype"] = readsJournal ? "journal" : "file";
        }

        var values = DefinitionOptions.Combine(config, FilterOptions, initial, options.JailOptions);
        var useDns = (values["usedns"]?.Text ?? "warn").Trim().ToLowerInvariant();
        var maxLines = 1;
        if (values["maxlines"] is { } maxLinesValue
            && (!int.TryParse(maxLinesValue.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out maxLines) || maxLines <= 0))
        {
            throw new ConfigException(maxLinesValue.File, maxLinesValue.Line, $"maxlines must be a whole number above zero, found '{maxLinesValue.Text}'");
        }

        FilterRegex? prefRegex = null;
        if (values["prefregex"] is { } prefValue && prefValue.Text.Trim().Length > 0)
        {
            prefRegex = CompileRegex(prefValue.Text, prefValue, "prefregex", 1, maxLines > 1, useDns, requireId: false, prefRegex: null);
        }

        var failRegexes = CompileList(values["failregex"], "failregex", maxLines > 1, useDns, requireId: true, prefRegex);
        if (failRegexes.Count == 0)
        {
            var at = values["failregex"] ?? origin;
            throw new ConfigException(at.File, at.Line, $"filter '{name}' has no failregex");
        }

        var ignoreRegexes = CompileList(values["ignoreregex"], "ignoreregex", multiline: false, useDns, requireId: false, prefRegex: null);
        var datePatternValue = options.DatePattern is not null ? new IniValue(options.DatePattern, "(jail datepattern)", 0) : values["datepattern"];
        var datePatterns = SplitLines(datePatternValue?.Text ?? string.Empty);
        var journal = SplitLines(values["journalmatch"]?.Text ?? string.Empty);
        var definition = new FilterDefinition(name, config.Files, prefRegex, failRegexes, ignoreRegexes, maxLines, datePatterns, journal, ParseTimeZone(options, origin), _time);
        Validate(definition, datePatternValue ?? origin);
        return definition;
    }

    private static List<FilterRegex> CompileList(IniValue? value, string option, bool multiline, string useDns, bool requireId, FilterRegex? prefRegex)
    {
        var list = new List<FilterRegex>();
        if (value is null)
        {
            return list;
        }

        var number = 0;
        foreach (var line in value.Text.Split('\n'))
        {
            number++;
            if (line.Length > 0)
            {
                list.Add(CompileRegex(line, value, option, number, multiline, useDns, requireId, prefRegex));
            }
        }

        return list;
    }

    private static FilterRegex CompileRegex(string text, IniValue origin, string option, int number, bool multiline, string useDns, bool requireId, FilterRegex? prefRegex)
    {
        FilterRegex regex;
        try
        {
            regex = FilterRegex.Compile(text, multiline, useDns);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(origin.File, origin.Line, $"{option} #{number} is not a valid regex: {ex.Message}: {Quote.Clip(text, 120)}", ex);
        }

        if (requireId && !regex.HasFailureId && prefRegex?.HasFailureId != true)
        {
            throw new ConfigException(origin.File, origin.Line,
                $"{option} #{number} names no failure id (no <HOST>, <ADDR>, <F-ID> or similar group): {Quote.Clip(text, 120)}");
        }

        return regex;
    }

    private static int? ParseTimeZone(FilterLoadOptions options, IniValue origin)
    {
        if (options.LogTimeZone is null)
        {
            return null;
        }

        return TimeZoneOffsets.TryParse(options.LogTimeZone.Trim())
            ?? throw new ConfigException(origin.File, origin.Line, $"unknown or unsupported logtimezone '{options.LogTimeZone}' (use UTC, UTC+hhmm or a zone abbreviation)");
    }

    private static void Validate(FilterDefinition definition, IniValue origin)
    {
        try
        {
            definition.CreateDateDetector();
        }
        catch (FormatException ex)
        {
            throw new ConfigException(origin.File, origin.Line, $"invalid datepattern: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(origin.File, origin.Line, $"invalid datepattern: {ex.Message}", ex);
        }
    }

    private static List<string> SplitLines(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static bool IsPlainName(string name) =>
        name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && !name.Contains("..", StringComparison.Ordinal);

}
