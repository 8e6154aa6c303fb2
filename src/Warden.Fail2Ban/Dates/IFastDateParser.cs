namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Reads one well-known date format without the regex engine. It answers only when sure the
/// template's regex would match exactly the same text with the same fields; otherwise it declines
/// and the regex decides. Stateless, thread-safe.
/// </summary>
internal interface IFastDateParser
{
    /// <summary>True with the match and fields when the line starts (as the template requires) with the canonical format.</summary>
    bool TryParse(ReadOnlySpan<char> line, out int matchEnd, out int dateStart, out int dateEnd, out FastDate fields);
}
