using System.Buffers;
using System.Text.RegularExpressions;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// Decides cheaply, from literals every match must contain (<see cref="RequiredLiterals"/>),
/// which failregexes could match a line; a line none could match skips the regex engine
/// altogether. Literals are looked for in the line as the regexes see it, the date cut out
/// (including a literal formed across the cut, such as "[]" in an access log). Built only when
/// every failregex has such literals and lines are judged one at a time (maxlines = 1), and, when
/// ignoreregexes run before the failregexes, for those too. Thread-safe.
/// </summary>
/// <remarks>
/// Every factor of a regex is required, so any order of checking them, and any one of them in
/// the first scan, gives the same answer; only the cost differs. The longest factor is often
/// in every line of a log (" [] \"GET /" in an access log), so the first lines train the
/// order: each factor's presence is counted over <see cref="TrainingLines"/> lines, then the
/// rarest come first. The plan in use is immutable and replaced atomically.
/// </remarks>
internal sealed class LinePrefilter
{
    private const int MaxRegexes = 63;

    /// <summary>Factors checked per regex; each is one vectorised scan.</summary>
    private const int MaxFactors = 3;

    /// <summary>Lines whose factor counts decide the order.</summary>
    private const int TrainingLines = 2048;

    private readonly LiteralFactor[][] _factors;
    private readonly int[][] _present;
    private readonly int _failRegexes;
    private Plan _plan;
    private int _trained;

    private LinePrefilter(LiteralFactor[][] factors, int failRegexes)
    {
        _factors = factors;
        _present = [.. factors.Select(f => new int[f.Length])];
        _failRegexes = failRegexes;
        _plan = Plan.From(factors);
    }

    /// <summary>A prefilter for the definition, or null when one cannot be sound.</summary>
    public static LinePrefilter? Create(FilterDefinition definition)
    {
        if (definition.MaxLines > 1 || definition.FailRegexes.Count > MaxRegexes)
        {
            return null;
        }

        var regexes = new List<FilterRegex>(definition.FailRegexes);
        var ignores = definition.IgnoreRegexes;
        if (ignores.Count > 0 && ignores.Count < definition.FailRegexes.Count - 2)
        {
            // fail2ban runs these before anything else, and the line counts as ignored: keep them reachable.
            regexes.AddRange(ignores);
        }

        // A regex may only be skipped when one of its factors is absent from the text (they form
        // a conjunction: "Invalid user" and " from "), which rejects far more lines than its
        // single best literal; the first scan looks for one factor of every regex.
        var factors = new LiteralFactor[regexes.Count][];
        for (var i = 0; i < regexes.Count; i++)
        {
            var regex = regexes[i];
            var options = (regex.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None)
                | (regex.IgnorePatternWhitespace ? RegexOptions.IgnorePatternWhitespace : RegexOptions.None);
            factors[i] = [.. RequiredLiterals.Find(regex.Pattern, options)];
            if (factors[i].Length == 0)
            {
                return null;
            }
        }

        return new LinePrefilter(factors, definition.FailRegexes.Count);
    }

    /// <summary>True when some regex could match the line with <c>[cutStart, cutEnd)</c> removed.</summary>
    public bool MayMatch(ReadOnlySpan<char> line, int cutStart, int cutEnd)
    {
        if (Volatile.Read(ref _trained) < TrainingLines)
        {
            Train(line, cutStart, cutEnd);
        }

        var plan = Volatile.Read(ref _plan);
        if (cutEnd <= cutStart)
        {
            return line.IndexOfAny(plan.Any) >= 0;
        }

        var before = line[..cutStart];
        var after = line[cutEnd..];
        if (after.IndexOfAny(plan.Any) >= 0 || before.IndexOfAny(plan.Any) >= 0)
        {
            return true;
        }

        var longest = plan.Longest;
        if (before.IsEmpty || longest < 2)
        {
            return false;
        }

        Span<char> joint = stackalloc char[2 * (longest - 1)];
        var head = before[Math.Max(0, before.Length - (longest - 1))..];
        var tail = after[..Math.Min(after.Length, longest - 1)];
        head.CopyTo(joint);
        tail.CopyTo(joint[head.Length..]);
        return joint[..(head.Length + tail.Length)].IndexOfAny(plan.Any) >= 0;
    }

    /// <summary>True when failregex <paramref name="index"/> could match <paramref name="text"/> (the line, date removed).</summary>
    public bool Possible(int index, ReadOnlySpan<char> text)
    {
        foreach (var factor in Volatile.Read(ref _plan).PerRegex[index])
        {
            if (text.IndexOfAny(factor) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Bit i set when failregex i could match <paramref name="text"/> (see <see cref="Possible"/>).</summary>
    public ulong PossibleMask(ReadOnlySpan<char> text)
    {
        var mask = 0UL;
        for (var i = 0; i < _failRegexes; i++)
        {
            if (Possible(i, text))
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }

    /// <summary>True when an ignoreregex that runs before the failregexes could match <paramref name="text"/>.</summary>
    public bool IgnorePossible(ReadOnlySpan<char> text)
    {
        for (var i = _failRegexes; i < _factors.Length; i++)
        {
            if (Possible(i, text))
            {
                return true;
            }
        }

        return false;
    }

    private void Train(ReadOnlySpan<char> line, int cutStart, int cutEnd)
    {
        var text = cutEnd <= cutStart ? line.ToString() : string.Concat(line[..cutStart], line[cutEnd..]);
        for (var i = 0; i < _factors.Length; i++)
        {
            for (var j = 0; j < _factors[i].Length; j++)
            {
                var factor = _factors[i][j];
                var comparison = factor.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                if (factor.Alternatives.Any(a => text.Contains(a, comparison)))
                {
                    Interlocked.Increment(ref _present[i][j]);
                }
            }
        }

        if (Interlocked.Increment(ref _trained) == TrainingLines)
        {
            Volatile.Write(ref _plan, Plan.From([.. _factors.Select((f, i) => f.Select((factor, j) => (factor, j))
                .OrderBy(x => Volatile.Read(ref _present[i][x.j])).ThenBy(x => x.j).Select(x => x.factor).ToArray())]));
        }
    }

    /// <summary>Factors in checking order: the first of each regex joins the one-scan test.</summary>
    private sealed class Plan
    {
        private Plan(SearchValues<string> any, SearchValues<string>[][] perRegex, int longest)
        {
            Any = any;
            PerRegex = perRegex;
            Longest = longest;
        }

        public SearchValues<string> Any { get; }

        public SearchValues<string>[][] PerRegex { get; }

        public int Longest { get; }

        public static Plan From(LiteralFactor[][] ordered)
        {
            var first = ordered.Select(f => f[0]).ToList();
            return new Plan(
                Values(new LiteralFactor(first.SelectMany(f => f.Alternatives), first.Any(f => f.IgnoreCase))),
                [.. ordered.Select(f => f.Take(MaxFactors).Select(Values).ToArray())],
                first.Max(f => f.Alternatives.Max(a => a.Length)));
        }

        private static SearchValues<string> Values(LiteralFactor factor) =>
            SearchValues.Create([.. factor.Alternatives], factor.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
