using System.Text.RegularExpressions;
using Warden.Fail2Ban.Tests.Conformance;
using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Tests.Regexes;

public sealed class RequiredLiteralsTests
{
    private static string[][] Factors(string pattern, RegexOptions options = RegexOptions.None) =>
        [.. RequiredLiterals.Find(pattern, options).Select(f => f.Alternatives.ToArray())];

    [Fact]
    public void Find_Sequence_EveryLiteralRunIsAFactor()
    {
        var factors = Factors(@"^Failed \S+ for (?<cond_inv>invalid user )?\S+ from (?<ip4>\d+\.\d+)");

        Assert.Contains(["Failed "], factors);
        Assert.Contains([" from "], factors);
        Assert.Contains([" for ", " for invalid user "], factors);
    }

    [Fact]
    public void Find_Alternation_UnionOfTheBranches()
    {
        var factors = Factors(@"^[iI](?:llegal|nvalid) user \S+ from ");

        Assert.Contains(["Illegal user ", "Invalid user ", "illegal user ", "invalid user "], factors);
        Assert.Contains([" from "], factors);
    }

    [Fact]
    public void Find_BranchWithoutLiteral_MakesNoFactorOfTheAlternation()
    {
        var factors = Factors(@"^(?:abc\d+|\w+) tail");

        Assert.Equal([[" tail"]], factors);
    }

    [Fact]
    public void Find_OptionalAndRepeatedParts_OnlyWhatEveryMatchHolds()
    {
        Assert.Equal([["prefix"]], Factors(@"prefix(?:middle)*\d"));
        Assert.Equal([["abcabc"]], Factors(@"(?:abc){2}"));
        Assert.Equal([["xyz"]], Factors(@"(?:xyz)+"));
    }

    [Theory]
    [InlineData(@"^Failed \S+ for (?<user>\S+) from", "Failed ")]
    [InlineData(@"^[iI](?:llegal|nvalid) user (?<user>.*?) from", "illegal user |invalid user |Illegal user |Invalid user ")]
    [InlineData(@"^(?:Connection (?:closed|reset)|Disconnected) by", "Connection closed by|Connection reset by|Disconnected by")]
    [InlineData(@"^(?:foo)?bar\d+bazz", "bazz")]
    [InlineData(@"user (?=x)xyz done", "user xyz done")]
    [InlineData(@"a+bcd", "bcd")]
    public void Find_Pattern_HasAFactorEveryMatchContains(string pattern, string expected)
    {
        Assert.Contains(RequiredLiterals.Find(pattern, RegexOptions.None), f => f.Alternatives.Order(StringComparer.Ordinal).SequenceEqual(expected.Split('|').Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData(@"^\S+ \d+$")]
    [InlineData(@"^(?:abc|\d+)x$")]
    [InlineData(@"(?:long literal)?\w+")]
    [InlineData(@"ab")]
    public void Find_NothingUsefulRequired_ReturnsNoFactor(string pattern)
    {
        Assert.Empty(RequiredLiterals.Find(pattern, RegexOptions.None));
    }

    [Fact]
    public void Find_ZeroWidthConstructs_DoNotBreakALiteral()
    {
        Assert.Equal([["ab cd"]], Factors(@"\bab(?=\s)\B cd$"));
    }

    [Fact]
    public void Find_Conditional_EitherBranch()
    {
        Assert.Equal([["no-branch", "yes-branch"]], Factors(@"(?<c>\d)?(?(c)yes-branch|no-branch)"));
        Assert.Empty(Factors(@"(?<c>\d)?(?(c)yes-branch)"));
    }

    [Fact]
    public void Find_ControlEscapes_AreNoLiteral()
    {
        // A literal newline could match the newline fail2ban appends to the buffer, which the
        // prefilter's text does not hold.
        var factors = Factors(@"first\nsecond\tthird");

        Assert.DoesNotContain(factors, f => f.Any(a => a.Contains('\n', StringComparison.Ordinal) || a.Contains('\t', StringComparison.Ordinal)));
        Assert.Contains(["second"], factors);
    }

    [Fact]
    public void Find_IgnoreCase_DropsLettersWithNonAsciiEquivalents()
    {
        var factors = RequiredLiterals.Find(@"(?i)kernel: oops", RegexOptions.None);

        var factor = Assert.Single(factors);
        Assert.True(factor.IgnoreCase);
        Assert.Equal(["ernel: oop"], factor.Alternatives);
    }

    [Fact]
    public void Find_VerbosePattern_GivesUp()
    {
        Assert.Empty(Factors(@"(?x) abc \s def"));
        Assert.Empty(Factors(@"abc def", RegexOptions.IgnorePatternWhitespace));
    }

    [Fact]
    public void CaseEquivalences_OfTheLettersKept_AreExactlyTheirAsciiCases()
    {
        // The analysis matches case-insensitive literals with OrdinalIgnoreCase, which knows only
        // ASCII case pairs for ASCII letters: letters .NET's regex also equates with other
        // characters (k with the Kelvin sign) must not be kept.
        foreach (var letter in "abcdefghjlmnopqrtuvwxyz")
        {
            var regex = new Regex("^" + letter + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            var equivalents = Enumerable.Range(0, 0x10000).Count(c => regex.IsMatch(((char)c).ToString()));
            Assert.True(equivalents == 2, $"'{letter}' has {equivalents} case equivalents");
        }

        Assert.Matches(new Regex("^k$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "\u212A");
        Assert.DoesNotContain("k", "\u212A", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Find_EveryStockRegexOnEverySampleLine_NoMatchWithoutItsFactors()
    {
        // fail2ban's own corpus, cut as FilterCore cuts it (date removed; with a prefregex, its
        // F-CONTENT): whenever a regex of a stock filter matches such a text, the text holds an
        // alternative of each factor found for the regex (the analysis never rejects a match).
        var logs = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs";
        Assert.True(Directory.Exists(logs), "Debian's fail2ban package is needed (apt-get install fail2ban)");
        var lines = Directory.GetFiles(logs).SelectMany(File.ReadLines).Where(l => l.Length > 0 && l[0] != '#').Distinct().ToList();
        var checkedMatches = 0;
        foreach (var (root, name) in Fail2BanConformanceTests.Filters())
        {
            FilterDefinition definition;
            try
            {
                definition = new FilterLoader([root], TimeProvider.System, includeShipped: false).Load(name);
            }
            catch (ConfigException)
            {
                continue;
            }

            var texts = Texts(definition, lines);
            foreach (var regex in definition.FailRegexes.Concat(definition.IgnoreRegexes))
            {
                if (regex.Pattern is null)
                {
                    continue;
                }

                var options = regex.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None;
                var factors = RequiredLiterals.Find(regex.Pattern, options);
                foreach (var text in texts)
                {
                    // The engine filters run on decides what matches.
                    if (!regex.Regex.IsMatch(text))
                    {
                        continue;
                    }

                    checkedMatches++;
                    foreach (var factor in factors)
                    {
                        var comparison = factor.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                        Assert.True(factor.Alternatives.Any(a => text.Contains(a, comparison)), $"{name}: {factor} not in a text matched by {regex.Pattern}: {text}");
                    }
                }
            }
        }

        Assert.True(checkedMatches > 1000, $"only {checkedMatches} matches checked");
    }

    private static List<string> Texts(FilterDefinition definition, List<string> lines)
    {
        var dates = definition.CreateDateDetector();
        var prefix = definition.PrefRegex;
        var contentGroup = prefix?.Regex.Pattern.GroupNumber("content") ?? -1;
        var texts = new List<string>();
        foreach (var line in lines)
        {
            var text = dates.MatchTime(line) is { } hit ? line[..hit.DateStart] + line[hit.DateEnd..] : line;
            texts.Add(text + "\n");
            if (prefix?.Regex.Match(text + "\n", out _) is { } match && match.Value(contentGroup) is { } content)
            {
                texts.Add(content + "\n");
            }
        }

        return texts;
    }
}
