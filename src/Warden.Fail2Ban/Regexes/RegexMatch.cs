using System.Text;
using Warden.Fail2Ban.Pcre2;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// One successful match over a string: where it is and what each group captured, in the
/// string's (UTF-16) offsets. Group values are cut from the input only when asked. Immutable.
/// </summary>
internal sealed class RegexMatch
{
    private readonly string _input;
    private readonly int[] _offsets;

    private RegexMatch(string input, int[] offsets)
    {
        _input = input;
        _offsets = offsets;
    }

    /// <summary>Where the match starts in the input.</summary>
    public int Index => _offsets[0];

    /// <summary>The length of the match.</summary>
    public int Length => _offsets[1] - _offsets[0];

    /// <summary>True when group <paramref name="number"/> took part in the match.</summary>
    public bool Success(int number) => number >= 0 && number * 2 < _offsets.Length && _offsets[number * 2] >= 0;

    /// <summary>What group <paramref name="number"/> captured, or null when it did not take part.</summary>
    public string? Value(int number) => Success(number) ? _input[_offsets[number * 2].._offsets[(number * 2) + 1]] : null;

    /// <summary>Group <paramref name="number"/>: whether it took part, where, and its text on demand.</summary>
    public MatchGroup Group(int number) =>
        Success(number) ? new MatchGroup(_input, _offsets[number * 2], _offsets[(number * 2) + 1] - _offsets[number * 2]) : default;

    /// <summary>The match the scratch holds, for <paramref name="input"/> encoded as <paramref name="utf8"/>.</summary>
    internal static unsafe RegexMatch From(string input, ReadOnlySpan<byte> utf8, MatchScratch scratch, int captures)
    {
        var ovector = scratch.Ovector;
        var offsets = new int[(captures + 1) * 2];
        var ascii = utf8.Length == input.Length;
        for (var i = 0; i < offsets.Length; i++)
        {
            var offset = ovector[i];
            offsets[i] = offset == nuint.MaxValue ? -1 : ascii ? (int)offset : Encoding.UTF8.GetCharCount(utf8[..(int)offset]);
        }

        return new RegexMatch(input, offsets);
    }
}
