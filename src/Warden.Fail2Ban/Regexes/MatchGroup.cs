namespace Warden.Fail2Ban.Regexes;

/// <summary>One group of a <see cref="RegexMatch"/> (default: the group did not take part). Immutable.</summary>
internal readonly struct MatchGroup
{
    private readonly string? _input;

    public MatchGroup(string input, int index, int length)
    {
        _input = input;
        Index = index;
        Length = length;
    }

    /// <summary>True when the group took part in the match.</summary>
    public bool Success => _input is not null;

    /// <summary>Where the group starts in the input (UTF-16 offset).</summary>
    public int Index { get; }

    /// <summary>Its length.</summary>
    public int Length { get; }

    /// <summary>What it captured; empty when it did not take part.</summary>
    public string Value => _input is null ? string.Empty : _input.Substring(Index, Length);
}
