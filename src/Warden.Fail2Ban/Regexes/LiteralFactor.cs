namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// One requirement on a text: it contains at least one of <see cref="Alternatives"/>, compared
/// ordinally, or ignoring ASCII case when <see cref="IgnoreCase"/> is set. Immutable; equal by content.
/// </summary>
internal sealed class LiteralFactor : IEquatable<LiteralFactor>
{
    public LiteralFactor(IEnumerable<string> alternatives, bool ignoreCase)
    {
        Alternatives = [.. alternatives.Distinct(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        IgnoreCase = ignoreCase;
    }

    public IReadOnlyList<string> Alternatives { get; }

    public bool IgnoreCase { get; }

    public bool Equals(LiteralFactor? other) =>
        other is not null && IgnoreCase == other.IgnoreCase && Alternatives.SequenceEqual(other.Alternatives, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as LiteralFactor);

    public override int GetHashCode() => HashCode.Combine(IgnoreCase, Alternatives.Count, Alternatives[0]);

    public override string ToString() => (IgnoreCase ? "(?i)" : string.Empty) + string.Join(" | ", Alternatives.Select(a => "\"" + a + "\""));
}
