using Warden.Fail2Ban.Dates;

namespace Warden.Fuzz.Targets;

/// <summary>
/// The date parser: the first input line is a datepattern (DateDetector.Append, a bad one is a
/// <see cref="FormatException"/>), the rest are log lines matched against it and, separately,
/// against fail2ban's default templates.
/// </summary>
internal static class DateTarget
{
    public static void Run(string text)
    {
        var lines = text.Split('\n');
        var defaults = new DateDetector(2026);
        var custom = new DateDetector(2026);
        var hasCustom = true;
        try
        {
            custom.Append(lines[0]);
        }
        catch (FormatException)
        {
            hasCustom = false;
        }

        foreach (var line in lines)
        {
            _ = defaults.MatchTime(line);
            _ = defaults.TryMatchCached(line, out _);
            if (hasCustom)
            {
                _ = custom.MatchTime(line);
            }
        }
    }
}
