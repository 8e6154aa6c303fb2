using System.Text.RegularExpressions;
using Warden.Fail2Ban.Filters;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// Regexes compiled to C# at build time for filters the build machine had installed (Debian's
/// /etc/fail2ban): Native AOT ignores RegexOptions.Compiled, so without them a stock filter runs
/// on the interpreter. The application registers its generated table once at start; a pattern is
/// used only when its translated text and options are identical to a table entry, so a changed or
/// unknown filter is simply interpreted. The table only changes speed, never what matches.
/// </summary>
public static partial class PrecompiledRegexes
{
    private static readonly Lock Gate = new();
    private static Func<string, RegexOptions, Regex?>? _lookup;
    private static Action<string, RegexOptions>? _recorder;

    /// <summary>The time budget every generated regex must carry (that of an ordinary first attempt).</summary>
    public static TimeSpan MatchTimeout => RegexCompiler.FirstTimeout;

    /// <summary>Registers the generated table (the last registration wins).</summary>
    public static void Register(Func<string, RegexOptions, Regex?> lookup) =>
        Volatile.Write(ref _lookup, lookup ?? throw new ArgumentNullException(nameof(lookup)));

    /// <summary>
    /// The filters under <paramref name="configDir"/>/filter.d the generator covers: every file by
    /// name, and <c>NAME[mode=M]</c> for each mode M a filter defines (its mdre-M / mdpr-M options).
    /// </summary>
    public static IEnumerable<string> FilterReferences(string configDir)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(configDir, "filter.d"), "*.conf").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            yield return name;
            var text = File.ReadAllText(file);
            if (!text.Contains("<mode>", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var mode in ModeOption().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
            {
                yield return $"{name}[mode={mode}]";
            }
        }
    }

    /// <summary>
    /// The .NET patterns and options (as compiled) of every regex of <paramref name="references"/>
    /// loaded from <paramref name="configDir"/>. For the build-time generator; filters that do
    /// not load are passed over.
    /// </summary>
    public static IReadOnlyList<(string Pattern, RegexOptions Options)> Collect(string configDir, IEnumerable<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        var found = new SortedSet<(string, RegexOptions)>();
        var loader = new FilterLoader([configDir], TimeProvider.System, includeShipped: false);
        lock (Gate)
        {
            _recorder = (pattern, options) => found.Add((pattern, options));
            try
            {
                foreach (var reference in references)
                {
                    try
                    {
                        loader.Load(reference);
                    }
                    catch (Exception e) when (e is ConfigException or ArgumentException or IOException or UnauthorizedAccessException)
                    {
                        // A filter that does not load is interpreted (and reported) at run time; it must not break a build.
                    }
                }
            }
            finally
            {
                _recorder = null;
            }
        }

        return [.. found];
    }

    internal static Regex? Find(string pattern, RegexOptions options)
    {
        _recorder?.Invoke(pattern, options);
        return Volatile.Read(ref _lookup)?.Invoke(pattern, options);
    }

    [GeneratedRegex(@"^(?:mdre|mdpr)-([a-z]+)\s*=", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ModeOption();
}
