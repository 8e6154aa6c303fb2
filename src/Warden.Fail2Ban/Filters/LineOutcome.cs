namespace Warden.Fail2Ban.Filters;

/// <summary>How fail2ban-regex classifies a line.</summary>
internal enum LineOutcome
{
    Missed,
    Matched,
    Ignored,
}
