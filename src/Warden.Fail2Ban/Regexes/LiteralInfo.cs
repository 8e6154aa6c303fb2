namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// What the literal analysis knows of a piece of pattern: <see cref="Exact"/>, the complete set of
/// texts it can match when that set is small and made of literals (null otherwise), and
/// <see cref="Factors"/>, texts every match must contain. An empty string in <see cref="Exact"/>
/// means the piece can match nothing at all (an optional part, an anchor). Immutable.
/// </summary>
internal sealed class LiteralInfo
{
    public static readonly LiteralInfo Any = new(null, []);

    public static readonly LiteralInfo Empty = new([new Lit(string.Empty, false)], []);

    public LiteralInfo(IReadOnlyList<Lit>? exact, IReadOnlyList<LiteralFactor> factors)
    {
        Exact = exact;
        Factors = factors;
    }

    public IReadOnlyList<Lit>? Exact { get; }

    public IReadOnlyList<LiteralFactor> Factors { get; }

    public static LiteralInfo Char(char c, bool ignoreCase) => new([new Lit(ignoreCase ? char.ToLowerInvariant(c).ToString() : c.ToString(), ignoreCase)], []);

    /// <summary>Factors, plus the exact set as one factor when it cannot be empty.</summary>
    public IEnumerable<LiteralFactor> AllFactors()
    {
        foreach (var factor in Factors)
        {
            yield return factor;
        }

        if (ExactFactor() is { } exact)
        {
            yield return exact;
        }
    }

    /// <summary>The exact set as a factor, or null when there is none or it allows the empty text.</summary>
    public LiteralFactor? ExactFactor() =>
        Exact is { Count: > 0 } exact && exact.All(l => l.Text.Length > 0) ? ToFactor(exact) : null;

    /// <summary>The factor that rejects most lines: the one whose shortest alternative is longest.</summary>
    public LiteralFactor? Best() =>
        AllFactors().OrderByDescending(f => f.Alternatives.Min(a => a.Length)).ThenBy(f => f.Alternatives.Count).FirstOrDefault();

    public static LiteralFactor ToFactor(IEnumerable<Lit> literals)
    {
        var list = literals.ToList();
        return new LiteralFactor(list.Select(l => l.Text), list.Any(l => l.IgnoreCase));
    }

    /// <summary>One literal text; <see cref="IgnoreCase"/> when some of its characters match either case.</summary>
    internal readonly record struct Lit(string Text, bool IgnoreCase)
    {
        public Lit Append(Lit other) => new(Text + other.Text, IgnoreCase || other.IgnoreCase);
    }
}
