namespace Warden.Fail2Ban.Config;

/// <summary>
/// fail2ban's recursive <c>&lt;tag&gt;</c> substitution (helpers.py <c>substituteRecursiveTags</c>):
/// every value's <c>&lt;name&gt;</c> is replaced by the value of option <c>name</c> (or, first, of
/// <c>name?CONDITION</c>), then by what a lookup function finds, repeated until nothing
/// changes, so nested tags such as <c>&lt;mdre-&lt;mode&gt;&gt;</c> resolve inside out. Unknown
/// tags stay as written (<c>&lt;HOST&gt;</c> is the regex compiler's business). A tag that refers to
/// itself, or is replaced more than 25 times in one value, is an error. Pure function.
/// </summary>
public static class TagSubstitution
{
    private const int MaxReplacements = 25;

    /// <summary>Resolves the tags of every value of <paramref name="options"/>; the input is not changed.</summary>
    /// <param name="options">Options in order; the keys are the tag names.</param>
    /// <param name="lookup">Finds a tag that is not among the options (e.g. any option of
    /// [Definition]); returns <c>null</c> when unknown.</param>
    /// <param name="ignore">Tags to leave alone, and options not to substitute.</param>
    /// <param name="conditional">A condition such as <c>family=inet6</c>, or empty.</param>
    /// <exception cref="FormatException">A self-referencing definition; the message names the tag.</exception>
    public static OrderedDictionary<string, string> Substitute(
        IEnumerable<KeyValuePair<string, string>> options,
        Func<string, string?>? lookup = null,
        IReadOnlySet<string>? ignore = null,
        string conditional = "")
    {
        ArgumentNullException.ThrowIfNull(options);
        var tags = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options)
        {
            tags[key] = value;
        }

        ignore ??= new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var keys = tags.Keys.ToArray();
        bool repeat;
        do
        {
            repeat = false;
            foreach (var tag in keys)
            {
                if (ignore.Contains(tag) || done.Contains(tag))
                {
                    continue;
                }

                var original = tags[tag];
                var value = original;
                var replaced = counts.GetValueOrDefault(tag) ?? new Dictionary<string, int>(StringComparer.Ordinal);
                var (start, end) = FindTag(value, 0);
                while (start >= 0)
                {
                    var name = value[(start + 1)..(end - 1)];
                    if (ignore.Contains(name))
                    {
                        (start, end) = FindTag(value, end);
                        continue;
                    }

                    if (name == tag || replaced.GetValueOrDefault(name, 1) > MaxReplacements)
                    {
                        throw new FormatException($"option '{tag}' refers to itself through <{name}> and cannot be resolved");
                    }

                    string? replacement = null;
                    if (conditional.Length > 0)
                    {
                        tags.TryGetValue(name + "?" + conditional, out replacement);
                    }

                    if (replacement is null && !tags.TryGetValue(name, out replacement))
                    {
                        replacement = lookup?.Invoke(name);
                    }

                    if (replacement is null)
                    {
                        (start, end) = FindTag(value, end);
                        continue;
                    }

                    value = value.Replace("<" + name + ">", replacement, StringComparison.Ordinal);
                    replaced[name] = replaced.GetValueOrDefault(name) + 1;
                    (start, end) = FindTag(value, start);
                }

                if (!ReferenceEquals(original, value) && original != value)
                {
                    if (FindTag(value, 0).Start >= 0)
                    {
                        counts[tag] = replaced;
                        repeat = true;
                    }

                    tags[tag] = value;
                }

                if (!value.Contains('<', StringComparison.Ordinal))
                {
                    done.Add(tag);
                }
            }
        }
        while (repeat);

        return tags;
    }

    /// <summary>Finds the next <c>&lt;name&gt;</c> (name: no space, '&lt;' or '&gt;'; fail2ban's TAG_CRE) at or after <paramref name="from"/>.</summary>
    /// <returns>Start (index of '&lt;') and end (after '&gt;'), or (-1, -1).</returns>
    public static (int Start, int End) FindTag(string value, int from)
    {
        ArgumentNullException.ThrowIfNull(value);
        var i = Math.Max(0, from);
        while (true)
        {
            var open = value.IndexOf('<', i);
            if (open < 0)
            {
                return (-1, -1);
            }

            var j = open + 1;
            while (j < value.Length && value[j] is not (' ' or '<' or '>'))
            {
                j++;
            }

            if (j > open + 1 && j < value.Length && value[j] == '>')
            {
                return (open, j + 1);
            }

            i = open + 1;
        }
    }
}
