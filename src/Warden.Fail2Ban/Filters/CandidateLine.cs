using Warden.Fail2Ban.Dates;

namespace Warden.Fail2Ban.Filters;

/// <summary>A line that passed stage one (date found, literal screen passed), ready for the regexes.</summary>
/// <param name="Line">The line (bounded, without line end).</param>
/// <param name="Hit">Where its date is, or null.</param>
/// <param name="RejectedBefore">The date of the last line rejected since the previous candidate, for undated lines.</param>
/// <param name="Possible">The regexes whose literals the line holds, when stage one checked them.</param>
/// <param name="Pref">The prefregex already run over the line (without its date), when stage one did it.</param>
internal sealed record CandidateLine(string Line, DateHit? Hit, DateHit? RejectedBefore, LineMask? Possible = null, PrefMatch? Pref = null);
