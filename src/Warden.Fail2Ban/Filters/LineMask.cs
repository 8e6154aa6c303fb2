namespace Warden.Fail2Ban.Filters;

/// <summary>What the literal screen says of a line's text (see <see cref="LinePrefilter.Mask"/>).</summary>
/// <param name="Fail">The failregexes that could match (bit i: regex i).</param>
/// <param name="Ignore">True when an ignoreregex run before the failregexes could match.</param>
internal readonly record struct LineMask(ulong Fail, bool Ignore);
