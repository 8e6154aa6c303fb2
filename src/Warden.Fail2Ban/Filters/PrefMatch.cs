using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// The prefregex run ahead over a single-line buffer (stage one, where lines are screened, may
/// run on another thread than the stateful rest): the buffer it ran on and its match. Immutable.
/// </summary>
/// <param name="Buffer">The line's text without its date, with a final newline (fail2ban's buffer of one line).</param>
/// <param name="Match">The match, or null when there was none.</param>
/// <param name="LimitHit">True when a match limit stopped the search (counted by stage two).</param>
internal sealed record PrefMatch(string Buffer, RegexMatch? Match, bool LimitHit);
