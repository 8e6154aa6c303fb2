using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Filters;

/// <summary>
/// The result of running one regex over the line buffer (server/failregex.py <c>Regex.search</c>):
/// the match, the lines it covers and the lines it leaves (skipped lines of &lt;SKIPLINES&gt;
/// count as left). Immutable.
/// </summary>
internal sealed class RegexSearch
{
    private RegexSearch(FilterRegex regex, RegexMatch match, IReadOnlyList<TupleLine> matched, List<TupleLine> unmatched)
    {
        Regex = regex;
        Match = match;
        Matched = matched;
        Unmatched = unmatched;
    }

    public FilterRegex Regex { get; }

    public RegexMatch Match { get; }

    /// <summary>The lines the match covers; read only (for a one-line buffer, the caller's own list).</summary>
    public IReadOnlyList<TupleLine> Matched { get; }

    public List<TupleLine> Unmatched { get; }

    /// <summary>Searches; null when there is no match (or a match limit stopped it, counted in <paramref name="counters"/>).</summary>
    public static RegexSearch? Run(FilterRegex regex, string buffer, IReadOnlyList<TupleLine> lines, FilterCounters counters)
    {
        var match = regex.Regex.Match(buffer, out var limitHit);
        if (match is null)
        {
            if (limitHit)
            {
                counters.AddLimitHit();
            }

            return null;
        }

        if (lines.Count <= 1)
        {
            // Every reader of Matched copies what it keeps, so a one-line buffer is not copied.
            return new RegexSearch(regex, match, lines, []);
        }

        var start = match.Index;
        var end = match.Index + match.Length;
        var lineStart = buffer.LastIndexOf('\n', Math.Min(start, buffer.Length - 1)) + 1;

        var lineEndIndex = buffer.IndexOf('\n', Math.Max(0, end - 1));
        var lineEnd = lineEndIndex < 0 ? buffer.Length : lineEndIndex + 1;
        var count1 = Count(buffer, lineStart);
        var count2 = Count(buffer, lineEnd);
        var matched = lines.Skip(count1).Take(Math.Max(0, count2 - count1)).ToList();
        var unmatched = lines.Take(count1).ToList();
        var n = 0;
        foreach (var skipped in SkippedLines(regex, match))
        {
            for (var m = 0; n + m < matched.Count; m++)
            {
                if (matched[n + m].Text == skipped)
                {
                    unmatched.Add(matched[n + m]);
                    matched.RemoveAt(n + m);
                    n += m;
                    break;
                }
            }
        }

        unmatched.AddRange(lines.Skip(count2));
        return new RegexSearch(regex, match, matched, unmatched);
    }

    /// <summary>The result of a prefregex stage one already ran over a one-line buffer (see <see cref="PrefMatch"/>).</summary>
    public static RegexSearch? From(FilterRegex regex, PrefMatch pref, IReadOnlyList<TupleLine> lines, FilterCounters counters)
    {
        if (pref.Match is null)
        {
            if (pref.LimitHit)
            {
                counters.AddLimitHit();
            }

            return null;
        }

        return new RegexSearch(regex, pref.Match, lines, []);
    }

    /// <summary>The groups as fail2ban's getGroups returns them, with ALT_ and TUPLE_ groups merged.</summary>
    public FailData Groups() => Groups(new FailData(Regex.Names.Length + 2));

    /// <summary>
    /// <paramref name="under"/> updated with the groups (Python's <c>dict(under, **groups)</c>, as
    /// fail2ban joins the prefregex's groups and a failregex's): written straight into it when the
    /// regex has no ALT_ or TUPLE_ group, whose merging must see the groups alone.
    /// </summary>
    public FailData GroupsOver(FailData under)
    {
        if (Regex.AltGroups.Length > 0 || Regex.TupleGroups.Length > 0)
        {
            var own = Groups();
            under.Update(own);
            return under;
        }

        return Groups(under);
    }

    private FailData Groups(FailData data)
    {
        var names = Regex.Names;
        var numbers = Regex.GroupNumbers;
        for (var i = 0; i < numbers.Length; i++)
        {
            data[names[i]] = Match.Value(numbers[i]);
        }

        foreach (var (alt, target) in Regex.AltGroups)
        {
            if (data.IsTrue(alt) && !data.IsTrue(target))
            {
                data[target] = data[alt];
            }
        }

        foreach (var (tuple, target) in Regex.TupleGroups)
        {
            var value = data.GetString(tuple);
            var list = data[target] is List<string?> existing ? existing : [data.GetString(target)];
            list.Add(value);
            data[target] = list;
        }

        return data;
    }

    private static string[] SkippedLines(FilterRegex regex, RegexMatch match)
    {
        if (regex.SkipLinesGroups == 0)
        {
            return [];
        }

        var text = new System.Text.StringBuilder();
        foreach (var number in regex.SkipLinesNumbers)
        {
            text.Append(match.Value(number));
        }

        // Python's str.splitlines(False) on text made of '\n'-terminated lines.
        var all = text.ToString();
        if (all.Length == 0)
        {
            return [];
        }

        var parts = all.Split('\n');
        return all.EndsWith('\n') ? parts[..^1] : parts;
    }

    private static int Count(string buffer, int end)
    {
        var count = 0;
        for (var i = 0; i < end && i < buffer.Length; i++)
        {
            if (buffer[i] == '\n')
            {
                count++;
            }
        }

        return count;
    }
}
