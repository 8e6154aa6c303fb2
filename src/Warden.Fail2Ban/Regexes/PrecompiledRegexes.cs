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
public static class PrecompiledRegexes
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
    /// The .NET patterns and options (as compiled) of every regex of the filters under
    /// <paramref name="configDir"/>: each filter.d file with its defaults, plus each filter
    /// reference of the jail files (<c>filter = postfix[mode=auth]</c>). For the build-time
    /// generator; filters that do not load are passed over.
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
                    catch (ConfigException)
                    {
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
}
