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
/// rarest (weighed by how costly it is to look for) come first. One scan finds every occurrence
/// of the first factors of all regexes; only regexes whose first factor occurs have their other
/// factors looked for, so a line costs about one scan however many regexes the filter has
/// (stock sshd has over twenty). The plan in use is immutable and replaced atomically.
/// </remarks>
internal sealed class LinePrefilter
{
    private const int MaxRegexes = 63;

    /// <summary>Factors checked per regex; each is one vectorised scan.</summary>
    private const int MaxFactors = 3;

    /// <summary>Lines whose factor counts decide the order.</summary>
    private const int TrainingLines = 2048;

    /// <summary>Texts up to this length are rejoined around a date cut on the stack.</summary>
    private const int StackJoin = 1024;

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
        _plan = Plan.From(factors, failRegexes);
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
            factors[i] = regex.Pattern is null ? [] : [.. RequiredLiterals.Find(regex.Pattern, options)];
            if (factors[i].Length == 0)
            {
                return null;
            }
        }

        return new LinePrefilter(factors, definition.FailRegexes.Count);
    }

    /// <summary>True when some regex could match the line with <c>[cutStart, cutEnd)</c> removed.</summary>
    public bool MayMatch(ReadOnlySpan<char> line, int cutStart, int cutEnd) =>
        MaskAround(line, cutStart, cutEnd, out var ignore) != 0 || ignore;

    /// <summary><see cref="Mask"/> of the line with <c>[cutStart, cutEnd)</c> (its date) removed.</summary>
    public ulong MaskAround(ReadOnlySpan<char> line, int cutStart, int cutEnd, out bool ignorePossible)
    {
        if (cutEnd <= cutStart)
        {
            return Mask(line, out ignorePossible);
        }

        if (cutStart == 0)
        {
            return Mask(line[cutEnd..], out ignorePossible);
        }

        // The text the regexes see is rejoined, so that a literal formed across the cut ("[]" in an access log) is found.
        var length = line.Length - (cutEnd - cutStart);
        char[]? rented = null;
        var joined = length <= StackJoin ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            line[..cutStart].CopyTo(joined);
            line[cutEnd..].CopyTo(joined[cutStart..]);
            return Mask(joined, out ignorePossible);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Bit i set when failregex i could match <paramref name="text"/> (the line, date removed: every
    /// factor of the regex occurs in it), and whether an ignoreregex that runs before the
    /// failregexes could match (<paramref name="ignorePossible"/>), together: one scan finds every
    /// occurrence of the regexes' first factors (after training, the rarest of each), and only the
    /// regexes whose first factor occurs have their other factors looked for.
    /// </summary>
    public ulong Mask(ReadOnlySpan<char> text, out bool ignorePossible)
    {
        if (Volatile.Read(ref _trained) < TrainingLines)
        {
            Train(text, 0, 0);
        }

        var plan = Volatile.Read(ref _plan);
        var (failCandidates, ignoreCandidates) = plan.FirstFactorHits(text);
        var mask = 0UL;
        for (var bits = failCandidates; bits != 0; bits &= bits - 1)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(bits);
            if (Rest(plan, i, text))
            {
                mask |= 1UL << i;
            }
        }

        ignorePossible = false;
        for (var bits = ignoreCandidates; bits != 0 && !ignorePossible; bits &= bits - 1)
        {
            ignorePossible = Rest(plan, _failRegexes + System.Numerics.BitOperations.TrailingZeroCount(bits), text);
        }

        return mask;
    }

    // The factors of regex i after its first.
    private static bool Rest(Plan plan, int i, ReadOnlySpan<char> text)
    {
        var factors = plan.PerRegex[i];
        for (var j = 1; j < factors.Length; j++)
        {
            if (text.IndexOfAny(factors[j]) < 0)
            {
                return false;
            }
        }

        return true;
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
                .OrderBy(x => Volatile.Read(ref _present[i][x.j]) * ScanWeight(x.factor)).ThenBy(x => x.j).Select(x => x.factor).ToArray())], _failRegexes));
        }
    }

    // A factor of many alternatives costs more to look for than one literal (a multi-string search
    // verifies more false starts): a rare long alternation may come after a commoner single literal.
    private static double ScanWeight(LiteralFactor factor) => 1 + ((factor.Alternatives.Count - 1) / 4.0);

    /// <summary>Factors in checking order: the first of each regex joins the one-scan test.</summary>
    private sealed class Plan
    {
        private readonly int _failRegexes;

        // First-factor alternatives by their first character (lower-cased when compared ignoring
        // case), with the regexes whose first factor each satisfies; non-ASCII first characters in [128].
        private readonly Owner[][] _owners;

        private Plan(SearchValues<string> any, SearchValues<string>[][] perRegex, Owner[][] owners, int failRegexes)
        {
            Any = any;
            PerRegex = perRegex;
            _owners = owners;
            _failRegexes = failRegexes;
        }

        public SearchValues<string> Any { get; }

        public SearchValues<string>[][] PerRegex { get; }

        public static Plan From(LiteralFactor[][] ordered, int failRegexes)
        {
            var first = ordered.Select(f => f[0]).ToList();
            var buckets = new List<Owner>[129];
            for (var i = 0; i < first.Count; i++)
            {
                foreach (var text in first[i].Alternatives)
                {
                    var comparison = first[i].IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    (buckets[Slot(text[0], first[i].IgnoreCase)] ??= []).Add(new Owner(text, comparison, i));
                }
            }

            return new Plan(
                Values(new LiteralFactor(first.SelectMany(f => f.Alternatives), first.Any(f => f.IgnoreCase))),
                [.. ordered.Select(f => f.Take(MaxFactors).Select(Values).ToArray())],
                [.. buckets.Select(b => b is null ? [] : b.ToArray())],
                failRegexes);
        }

        /// <summary>The fail and ignore regexes (bit i: i-th of each) whose first factor occurs in <paramref name="text"/>.</summary>
        public (ulong Fail, ulong Ignore) FirstFactorHits(ReadOnlySpan<char> text)
        {
            var (fail, ignore) = (0UL, 0UL);
            var position = 0;
            while (position < text.Length)
            {
                var found = text[position..].IndexOfAny(Any);
                if (found < 0)
                {
                    break;
                }

                position += found;
                var rest = text[position..];
                var c = rest[0];
                var lower = c < 128 ? char.ToLowerInvariant(c) : c;
                Mark(rest, c < 128 ? c : 128, ref fail, ref ignore);
                if (lower != c)
                {
                    Mark(rest, lower, ref fail, ref ignore);
                }

                position++;
            }

            return (fail, ignore);
        }

        private void Mark(ReadOnlySpan<char> rest, int slot, ref ulong fail, ref ulong ignore)
        {
            foreach (var owner in _owners[slot])
            {
                if (rest.StartsWith(owner.Text, owner.Comparison))
                {
                    if (owner.Regex < _failRegexes)
                    {
                        fail |= 1UL << owner.Regex;
                    }
                    else
                    {
                        ignore |= 1UL << (owner.Regex - _failRegexes);
                    }
                }
            }
        }

        private static int Slot(char first, bool ignoreCase) =>
            first >= 128 ? 128 : ignoreCase ? char.ToLowerInvariant(first) : first;

        private static SearchValues<string> Values(LiteralFactor factor) =>
            SearchValues.Create([.. factor.Alternatives], factor.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        private sealed record Owner(string Text, StringComparison Comparison, int Regex);
    }
}
