using Lit = Warden.Fail2Ban.Regexes.LiteralInfo.Lit;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// How <see cref="LiteralInfo"/> combines over concatenation, alternation and repetition. Every
/// rule keeps the invariant "each match of the piece contains one alternative of each factor"; when
/// a set would grow past <see cref="RequiredLiterals.MaxAlternatives"/> the rule gives up
/// precision (drops the set), never soundness. Pure.
/// </summary>
internal static class LiteralAlgebra
{
    /// <summary>Concatenation: adjacent exact pieces join into longer literals (a cross product).</summary>
    public static LiteralInfo Sequence(IReadOnlyList<LiteralInfo> items)
    {
        var factors = new List<LiteralFactor>();
        List<Lit> run = [new Lit(string.Empty, false)];
        var allExact = true;
        foreach (var item in items)
        {
            if (item.Exact is { } exact && run.Count * exact.Count <= RequiredLiterals.MaxAlternatives)
            {
                run = [.. run.SelectMany(r => exact.Select(r.Append)).Distinct()];
                continue;
            }

            allExact = false;
            Close(run, factors);
            factors.AddRange(item.Factors);
            if (item.Exact is { } tooMany)
            {
                // The set did not fit the running product: it starts a new run of its own.
                run = [.. tooMany];
            }
            else
            {
                run = [new Lit(string.Empty, false)];
            }
        }

        if (allExact)
        {
            return new LiteralInfo(run, factors);
        }

        Close(run, factors);
        return new LiteralInfo(null, factors);
    }

    /// <summary>Alternation: the union of the branches' exact sets, else of each branch's best factor.</summary>
    public static LiteralInfo Alternation(IReadOnlyList<LiteralInfo> branches)
    {
        if (branches.Count == 1)
        {
            return branches[0];
        }

        if (branches.All(b => b.Exact is not null))
        {
            var union = branches.SelectMany(b => b.Exact!).Distinct().ToList();
            if (union.Count <= RequiredLiterals.MaxAlternatives)
            {
                return new LiteralInfo(union, []);
            }
        }

        var best = new List<LiteralFactor>();
        foreach (var branch in branches)
        {
            if (branch.Best() is not { } factor)
            {
                return LiteralInfo.Any;
            }

            best.Add(factor);
        }

        var alternatives = best.SelectMany(f => f.Alternatives).Distinct().ToList();
        return alternatives.Count > RequiredLiterals.MaxAlternatives
            ? LiteralInfo.Any
            : new LiteralInfo(null, [new LiteralFactor(alternatives, best.Any(f => f.IgnoreCase))]);
    }

    /// <summary>Repetition {min,max} (max -1: unbounded).</summary>
    public static LiteralInfo Repeat(LiteralInfo item, int min, int max)
    {
        if (min == 0)
        {
            // Optional: nothing is required; x? still has a small exact set.
            return max == 1 && item.Exact is { } optional && optional.Count < RequiredLiterals.MaxAlternatives
                ? new LiteralInfo([.. optional, new Lit(string.Empty, false)], [])
                : LiteralInfo.Any;
        }

        if (min == max && min <= 4 && item.Exact is not null)
        {
            return Sequence([.. Enumerable.Repeat(item, min)]);
        }

        return new LiteralInfo(null, [.. item.AllFactors()]);
    }

    private static void Close(List<Lit> run, List<LiteralFactor> factors)
    {
        if (run.All(l => l.Text.Length > 0))
        {
            factors.Add(LiteralInfo.ToFactor(run));
        }
    }
}
