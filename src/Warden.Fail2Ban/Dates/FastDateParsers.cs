namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Hand-written readers for the three date formats that make up nearly every log Warden reads,
/// each equivalent to one of fail2ban's templates on the canonical shape and declining anything
/// else: rsyslog's traditional "Nov 23 01:24:01" ({^LN-BEG} with the "%b %d %k:%M:%S" default),
/// ISO 8601 "2026-11-23T01:24:01.123456+00:00" ({^LN-BEG} with the "%ExY-%m-%d" default), and the
/// access-log "[23/Nov/2026:01:24:01 +0000]" ("^[^\[]*\[({DATE})"). The regex stays the reference:
/// whenever a reader is unsure (an unusual day width, a seventh fraction digit, a letter right
/// after the date), it declines.
/// </summary>
internal static class FastDateParsers
{
    private const string SyslogDefault = @"(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?";
    private const string IsoDefault = @"%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?";
    private const string AccessDefault = @"%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?";

    /// <summary>The fast reader for a template's pattern, or null.</summary>
    public static IFastDateParser? For(string pattern) => pattern switch
    {
        "{^LN-BEG}" + SyslogDefault => Syslog.Instance,
        "{^LN-BEG}" + IsoDefault => Iso.Instance,
        @"^[^\[]*\[(" + AccessDefault + ")" => Access.Instance,
        _ => null,
    };

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static int Month(ReadOnlySpan<char> text)
    {
        if (text.Length < 3)
        {
            return 0;
        }

        Span<char> lower = stackalloc char[3];
        for (var i = 0; i < 3; i++)
        {
            var c = text[i];
            if (!char.IsAsciiLetter(c))
            {
                return 0;
            }

            lower[i] = (char)(c | 0x20);
        }

        for (var m = 0; m < 12; m++)
        {
            if (lower.SequenceEqual(Months[m]))
            {
                return m + 1;
            }
        }

        return 0;
    }

    private static int Digit(char c) => c is >= '0' and <= '9' ? c - '0' : -1;

    private static int Two(ReadOnlySpan<char> text, int at) =>
        at + 1 < text.Length && Digit(text[at]) >= 0 && Digit(text[at + 1]) >= 0 ? (Digit(text[at]) * 10) + Digit(text[at + 1]) : -1;

    // %d = (?P<d>[1-2]\d|[0 ]?[1-9]|3[0-1]) over exactly two characters.
    private static int Day(ReadOnlySpan<char> text, int at)
    {
        if (at + 1 >= text.Length)
        {
            return -1;
        }

        var (a, b) = (text[at], text[at + 1]);
        if (a is ' ' or '0')
        {
            return b is >= '1' and <= '9' ? b - '0' : -1;
        }

        if (a is '1' or '2')
        {
            return Digit(b) >= 0 ? ((a - '0') * 10) + (b - '0') : -1;
        }

        return a == '3' && b is '0' or '1' ? 30 + (b - '0') : -1;
    }

    // The look-ahead (?=\b|\W|$) after a digit: the end, or an ASCII non-word character;
    // declines (null) on non-ASCII, where Unicode word rules would decide.
    private static bool? BoundaryAfterDigit(ReadOnlySpan<char> text, int at)
    {
        if (at >= text.Length)
        {
            return true;
        }

        var c = text[at];
        return c > 0x7f ? null : !(char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    // HH:MM:SS with H 00-23, M and S 00-59 (what %H/%k, %M, %S take greedily on two digits each).
    private static bool Clock(ReadOnlySpan<char> text, int at, out int hour, out int minute, out int second)
    {
        hour = Two(text, at);
        minute = Two(text, at + 3);
        second = Two(text, at + 6);
        return hour is >= 0 and <= 23 && minute is >= 0 and <= 59 && second is >= 0 and <= 59
            && text[at + 2] == ':' && text[at + 5] == ':';
    }

    // [+-][01]\d(?::?\d{2})? at 'at'; returns its end or -1.
    private static int Offset(ReadOnlySpan<char> text, int at, out int minutes)
    {
        minutes = 0;
        if (at + 2 >= text.Length || text[at] is not ('+' or '-') || text[at + 1] is not ('0' or '1') || Digit(text[at + 2]) < 0)
        {
            return -1;
        }

        var hours = Two(text, at + 1);
        var end = at + 3;
        var extra = 0;
        if (end + 2 < text.Length && text[end] == ':' && Two(text, end + 1) >= 0)
        {
            extra = Two(text, end + 1);
            end += 3;
        }
        else if (Two(text, end) >= 0)
        {
            extra = Two(text, end);
            end += 2;
        }

        minutes = (text[at] == '-' ? -1 : 1) * ((hours * 60) + extra);
        return end;
    }

    private sealed class Syslog : IFastDateParser
    {
        public static readonly Syslog Instance = new();

        public bool TryParse(ReadOnlySpan<char> line, out int matchEnd, out int dateStart, out int dateEnd, out FastDate fields)
        {
            matchEnd = dateStart = dateEnd = 0;
            fields = default;
            if (line.Length < 15 || line[3] != ' ' || line[6] != ' ')
            {
                return false;
            }

            var month = Month(line);
            var day = Day(line, 4);
            if (month == 0 || day < 0 || !Clock(line, 7, out var hour, out var minute, out var second))
            {
                return false;
            }

            var end = 15;
            var year = 0;
            if (end < line.Length)
            {
                var c = line[end];
                if (c == '.' || c > 0x7f || char.IsAsciiLetterOrDigit(c) || c == '_')
                {
                    return false;
                }

                if (c == ' ' && line.Length >= 20 && line[16] == '2' && line[17] == '0' && Two(line, 18) >= 0)
                {
                    switch (BoundaryAfterDigit(line, 20))
                    {
                        case null:
                            return false;
                        case true:
                            year = 2000 + Two(line, 18);
                            end = 20;
                            break;
                    }
                }
            }

            matchEnd = dateEnd = end;
            fields = new FastDate(year, month, day, hour, minute, second, null);
            return true;
        }
    }

    private sealed class Iso : IFastDateParser
    {
        public static readonly Iso Instance = new();

        public bool TryParse(ReadOnlySpan<char> line, out int matchEnd, out int dateStart, out int dateEnd, out FastDate fields)
        {
            matchEnd = dateStart = dateEnd = 0;
            fields = default;
            if (line.Length < 19 || line[0] != '2' || line[1] != '0' || Two(line, 2) < 0)
            {
                return false;
            }

            var separator = line[4];
            if (separator is not ('-' or '/' or '.') || line[7] != separator || line[10] is not ('T' or ' ') || line[11] == ' ')
            {
                return false;
            }

            var month = Two(line, 5);
            var day = Day(line, 8);
            if (month is < 1 or > 12 || day < 0 || !Clock(line, 11, out var hour, out var minute, out var second))
            {
                return false;
            }

            var end = 19;
            if (end < line.Length && line[end] is '.' or ',')
            {
                var digits = 0;
                while (end + 1 + digits < line.Length && Digit(line[end + 1 + digits]) >= 0)
                {
                    digits++;
                }

                if (digits > 6)
                {
                    return false;
                }

                // No digit: the fraction group fails and the date ends before the '.'.
                end += digits > 0 ? digits + 1 : 0;
            }

            int? offset = null;
            var zoneAt = end;
            while (zoneAt < line.Length && line[zoneAt] is ' ' or '\t')
            {
                zoneAt++;
            }

            if (zoneAt < line.Length && char.IsWhiteSpace(line[zoneAt]))
            {
                // Other white space (\s is wider than blanks): leave it to the regex.
                return false;
            }

            if (zoneAt < line.Length && line[zoneAt] is '+' or '-')
            {
                var zoneEnd = Offset(line, zoneAt, out var minutes);
                if (zoneEnd > 0)
                {
                    if (BoundaryAfterDigit(line, zoneEnd) != true)
                    {
                        return false;
                    }

                    offset = minutes;
                    end = zoneEnd;
                }
            }
            else if (zoneAt < line.Length && (line[zoneAt] is 'Z' || char.IsAsciiLetterUpper(line[zoneAt])) && zoneAt + 1 <= line.Length)
            {
                // Z, UTC, GMT (or a word that starts like one): leave it to the regex.
                if (line[zoneAt] is 'Z' or 'U' or 'G')
                {
                    return false;
                }
            }

            if (offset is null && BoundaryAfterDigit(line, end) != true)
            {
                return false;
            }

            matchEnd = dateEnd = end;
            fields = new FastDate(2000 + Two(line, 2), month, day, hour, minute, second, offset);
            return true;
        }
    }

    private sealed class Access : IFastDateParser
    {
        public static readonly Access Instance = new();

        public bool TryParse(ReadOnlySpan<char> line, out int matchEnd, out int dateStart, out int dateEnd, out FastDate fields)
        {
            matchEnd = dateStart = dateEnd = 0;
            fields = default;
            var open = line.IndexOf('[');
            var at = open + 1;
            if (open < 0 || line.Length < at + 20)
            {
                return false;
            }

            var day = Day(line, at);
            var separator = line[at + 2];
            if (day < 0 || separator is not ('/' or '-') || line[at + 6] != separator || line[at + 11] != ':')
            {
                return false;
            }

            var month = Month(line[(at + 3)..]);
            if (month == 0 || line[at + 7] != '2' || line[at + 8] != '0' || Two(line, at + 9) < 0
                || !Clock(line, at + 12, out var hour, out var minute, out var second))
            {
                return false;
            }

            var end = at + 20;
            int? offset = null;
            if (end < line.Length && line[end] == '.')
            {
                return false;
            }

            if (end + 1 < line.Length && line[end] == ' ' && line[end + 1] is 'Z' or 'z' or 'U' or 'u' or 'G' or 'g')
            {
                // Z, UTC, GMT (case-insensitive here): leave it to the regex.
                return false;
            }

            if (end + 1 < line.Length && line[end] == ' ' && line[end + 1] is '+' or '-')
            {
                var zoneEnd = Offset(line, end + 1, out var minutes);
                if (zoneEnd > 0)
                {
                    if (BoundaryAfterDigit(line, zoneEnd) != true)
                    {
                        return false;
                    }

                    offset = minutes;
                    end = zoneEnd;
                }
            }

            if (offset is null && BoundaryAfterDigit(line, end) != true)
            {
                return false;
            }

            dateStart = at;
            matchEnd = dateEnd = end;
            fields = new FastDate(2000 + Two(line, at + 9), month, day, hour, minute, second, offset);
            return true;
        }
    }
}
