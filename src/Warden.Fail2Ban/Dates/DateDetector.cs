using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Finds the date in a line with a list of templates, as fail2ban's <c>DateDetector</c>
/// (server/datedetector.py): it first tries the template and position that matched the previous
/// line, then searches the list; a template that matches moves towards the front by its weight
/// (hits, preference, distance from the line start). Not thread-safe: one per filter instance.
/// </summary>
internal sealed class DateDetector
{
    private const double UnusedSeconds = 300;
    private static readonly string[] AsciiStrings = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];
    private readonly List<Entry> _templates = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly int _year;
    private (int Position, string Before, string At) _lastPos = (1, string.Empty, string.Empty);
    private (int Position, string Before, string At) _lastEndPos = (0x7fffffff, string.Empty, string.Empty);
    private int _lastIndex = 0x7fffffff;
    private int _firstUnused;

    public DateDetector(int year)
    {
        _year = year;
    }

    public int Count => _templates.Count;

    /// <summary>Adds a datepattern line (datedetector.py appendTemplate).</summary>
    /// <exception cref="FormatException">Bad pattern or duplicate template.</exception>
    public void Append(string pattern)
    {
        var key = pattern.Contains('%', StringComparison.Ordinal) ? pattern : pattern.ToUpperInvariant();
        if (key is "{^LN-BEG}" or "{DEFAULT}")
        {
            // fail2ban's filter for {DEFAULT} returns None for every template, so nothing is
            // added here and the full default list is added on first use when nothing else was.
            AddDefaults(key == "{^LN-BEG}" ? t => (t.Flags & TemplateFlags.LineBegin) != 0 : _ => false);
            return;
        }

        if (DateTemplates.HasDateMark(key))
        {
            AddDefaults(null, pattern);
            return;
        }

        var template = key == "{NONE}" ? DateTemplates.ForPattern("{UNB}^", _year, key) : DateTemplates.ForPattern(pattern, _year, key);
        try
        {
            // A configured pattern is compiled now, so a bad one is a config error at load and
            // never an exception on the first log line (defaults stay compiled on first use).
            _ = template.Compiled;
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"datepattern '{Quote.Clip(pattern)}' is not a valid regex: {ex.Message}", ex);
        }

        Add(template, ignoreDuplicate: false);
    }

    private void AddDefaults(Func<DateTemplate, bool>? filter, string? preMatch = null)
    {
        var ignoreDuplicate = _templates.Count > 0;
        foreach (var original in preMatch is null ? DateTemplates.All(_year) : DateTemplates.Defaults(_year))
        {
            if (filter is not null && !filter(original))
            {
                continue;
            }

            var template = preMatch is null ? original : DateTemplates.Wrapped(original, s => DateTemplates.ReplaceDate(preMatch, s), _year);
            Add(template, ignoreDuplicate);
        }
    }

    private void Add(DateTemplate template, bool ignoreDuplicate)
    {
        if (!_names.Add(template.Name))
        {
            if (ignoreDuplicate)
            {
                return;
            }

            throw new FormatException($"date template '{template.Name}' is given twice");
        }

        _templates.Add(new Entry(template));
    }

    /// <summary>
    /// The fast path for the common case: the template that matched the previous line is anchored
    /// at the line start and has a fast reader that recognises this line. Does the same
    /// bookkeeping as <see cref="MatchTime"/>; false (and no change) otherwise.
    /// </summary>
    public bool TryMatchCached(ReadOnlySpan<char> line, out DateHit hit)
    {
        hit = default;
        if (_lastIndex >= _templates.Count)
        {
            return false;
        }

        var entry = _templates[_lastIndex];
        var template = entry.Template;
        if (template.Fast is not { } fast || (template.Flags & (TemplateFlags.LineBegin | TemplateFlags.LineEnd)) == 0
            || !fast.TryParse(line, out var end, out var dateStart, out var dateEnd, out var fields))
        {
            return false;
        }

        hit = new DateHit(template, 0, end, dateStart, dateEnd, null, fields);
        Record(entry, _lastIndex, line, 0, end);
        return true;
    }

    /// <summary>Finds the date (datedetector.py matchTime), or null.</summary>
    public DateHit? MatchTime(string line)
    {
        if (_templates.Count == 0)
        {
            AddDefaults(null);
        }

        if (TryMatchCached(line, out var cached))
        {
            return cached;
        }

        RegexMatch? match = null;
        (RegexMatch? Match, int Distance, int End, int Index) found = (null, 0x7fffffff, 0x7fffffff, -1);
        var ignoreBySearch = 0x7fffffff;
        var i = _lastIndex;
        Entry? entry = null;
        DateTemplate? template = null;
        int distance, endpos;
        if (i < _templates.Count)
        {
            entry = _templates[i];
            template = entry.Template;
            if ((template.Flags & (TemplateFlags.LineBegin | TemplateFlags.LineEnd)) != 0)
            {
                match = template.MatchDate(line);
                ignoreBySearch = i;
            }
            else
            {
                (distance, endpos) = (_lastPos.Position, _lastEndPos.Position);
                var before = Slice(line, distance - 1, distance);
                var at = Slice(line, distance, distance + 1);
                var after = Slice(line, endpos, endpos + 1);
                var last = Slice(line, endpos - 1, endpos);
                if ((before == _lastPos.Before || (at == _lastPos.At && !IsAlnum(_lastPos.At)))
                    && (after == _lastEndPos.At || (last == _lastEndPos.Before && !IsAlnum(_lastEndPos.Before))))
                {
                    match = template.MatchDate(line, distance, endpos);
                }
                else
                {
                    match = template.MatchDate(line);
                    ignoreBySearch = i;
                }
            }

            if (match is not null)
            {
                distance = match.Index;
                endpos = match.Index + match.Length;
                if (!(_templates.Count == 1
                    || (template.Flags & (TemplateFlags.LineBegin | TemplateFlags.LineEnd)) != 0
                    || (distance == _lastPos.Position && endpos == _lastEndPos.Position)))
                {
                    found = (match, distance, endpos, i);
                    match = null;
                }
            }
        }

        if (match is null)
        {
            for (i = 0; i < _templates.Count; i++)
            {
                if (i == ignoreBySearch)
                {
                    continue;
                }

                entry = _templates[i];
                template = entry.Template;
                match = template.MatchDate(line);
                if (match is null)
                {
                    continue;
                }

                distance = match.Index;
                if (i + 1 >= _templates.Count
                    || (template.Flags & (TemplateFlags.LineBegin | TemplateFlags.LineEnd)) != 0
                    || (distance == 0 && entry.Hits > 0 && _templates[i + 1].Hits == 0))
                {
                    break;
                }

                if (distance > entry.Distance || distance > _lastPos.Position)
                {
                    if (distance < found.Distance)
                    {
                        found = (match, distance, match.Index + match.Length, i);
                    }

                    match = null;
                    continue;
                }

                break;
            }

            if (match is null && found.Match is not null)
            {
                (match, _, _, i) = found;
                entry = _templates[i];
                template = entry.Template;
            }
        }

        if (match is null || entry is null || template is null)
        {
            return null;
        }

        Record(entry, i, line, match.Index, match.Index + match.Length);
        return DateHit.FromMatch(template, match);
    }

    private void Record(Entry entry, int i, ReadOnlySpan<char> line, int distance, int endpos)
    {
        entry.Hits++;
        // Seconds, for the 5-minute "unused" rule; the coarse tick is enough and cheaper per line.
        entry.LastUsed = Environment.TickCount64 / 1000.0;
        entry.Distance = distance;
        if (_firstUnused == i)
        {
            _firstUnused++;
        }

        _lastPos = (distance, Slice(line, distance - 1, distance), Slice(line, distance, distance + 1));
        _lastEndPos = (endpos, endpos > 0 ? Slice(line, endpos - 1, endpos) : Slice(line, line.Length - 1, line.Length), Slice(line, endpos, endpos + 1));

        if (i > 0 && i != _lastIndex)
        {
            i = Reorder(i);
        }

        _lastIndex = i;
    }


    private int Reorder(int num)
    {
        var entry = _templates[num];
        var unusedTime = entry.LastUsed - UnusedSeconds;
        var weight = entry.Weight;
        var pos = _firstUnused < num ? _firstUnused : num / 2;
        bool Movable() => weight > _templates[pos].Weight || unusedTime > _templates[pos].LastUsed;
        if (!Movable())
        {
            if (pos == num - 1)
            {
                return num;
            }

            pos = num - 1;
            if (!Movable())
            {
                return num;
            }
        }

        _templates.RemoveAt(num);
        _templates.Insert(pos, entry);
        while (_firstUnused < _templates.Count && _templates[_firstUnused].Hits > 0)
        {
            _firstUnused++;
        }

        return pos;
    }

    // Python's line[a:b] for the one-character ranges used here (a may be -1 only with b = 0:
    // empty); ASCII characters come from a table, so the per-line bookkeeping allocates nothing.
    private static string Slice(ReadOnlySpan<char> line, int start, int end)
    {
        if (start < 0 || start >= line.Length || end <= start)
        {
            return string.Empty;
        }

        var c = line[start];
        return c < AsciiStrings.Length ? AsciiStrings[c] : c.ToString();
    }

    private static bool IsAlnum(string text) => text.Length > 0 && text.All(char.IsLetterOrDigit);

    private sealed class Entry(DateTemplate template)
    {
        public DateTemplate Template { get; } = template;

        public int Hits { get; set; }

        public double LastUsed { get; set; }

        public int Distance { get; set; } = 0x7fffffff;

        public double Weight => Hits * Template.Weight / Math.Max(1, Distance);
    }
}
