using Warden.Fail2Ban.Pcre2;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Tests.Regexes;

public sealed class PythonToPcre2Tests
{
    [Theory]
    [InlineData(@"(?P<user>\w+) (?P=user)", "bob bob", true)]
    [InlineData(@"(?P<user>\w+) (?P=user)", "bob alice", false)]
    [InlineData(@"^abc\Z", "abc\n", false)]
    [InlineData(@"^abc\Z", "abc", true)]
    [InlineData(@"^abc$", "abc\n", true)]
    [InlineData(@"^a{,2}b$", "aab", true)]
    [InlineData(@"^a{,2}b$", "aaab", false)]
    [InlineData(@"^[[]x$", "[x", true)]
    [InlineData(@"^[[:]+$", "[:", true)]
    [InlineData(@"^[\w-[]+$", "a-[", true)]
    [InlineData(@"^[]a]+$", "]a]", true)]
    [InlineData(@"foo(?i)BAR", "FOObar", true)]
    [InlineData(@"^(?:(?i)x)y$", "Xy", true)]
    [InlineData(@"^(?:(?i)x)y$", "XY", false)]
    [InlineData(@"^(?i:x)y$", "XY", false)]
    [InlineData(@"^\w+$", "é", true)]
    [InlineData(@"(?a)^\w+$", "é", false)]
    [InlineData(@"^\d$", "٣", true)]
    [InlineData(@"^\u00e9\U0001F600$", "é😀", true)]
    [InlineData(@"^(x)?(?(1)y|z)$", "xy", true)]
    [InlineData(@"^(x)?(?(1)y|z)$", "z", true)]
    [InlineData(@"^(a)(b)\2\1$", "abba", true)]
    [InlineData(@"(?<=user )\w+", "user bob", true)]
    [InlineData(@"^a.b$", "a\nb", false)]
    [InlineData(@"(?s)^a.b$", "a\nb", true)]
    [InlineData(@"(?x) ^ a b $ # comment", "ab", true)]
    public void Translate_PythonSyntax_MatchesAsPythonDoes(string pattern, string input, bool expected)
    {
        var regex = CompiledRegex.Compile(PythonToPcre2.Translate(pattern));

        Assert.Equal(expected, regex.IsMatch(input));
    }

    [Fact]
    public void Match_NamedAndUnnamedGroups_NumberedInOpeningOrder()
    {
        var regex = CompiledRegex.Compile(PythonToPcre2.Translate(@"(?P<a>x)(y)(?P<b>z)\2"));
        var match = regex.Match("--xyzy", out _);

        Assert.NotNull(match);
        Assert.Equal(2, match.Index);
        Assert.Equal([("a", 1), ("b", 3)], regex.Pattern.Names);
        Assert.Equal("y", match.Value(2));
        Assert.Equal("z", match.Value(regex.Pattern.GroupNumber("b")));
    }

    [Fact]
    public void Match_NonAsciiBeforeGroup_OffsetsInCharacters()
    {
        var regex = CompiledRegex.Compile(PythonToPcre2.Translate(@"user (?P<user>\S+) from"));
        var match = regex.Match("é😀 user jürgen from x", out _);

        Assert.NotNull(match);
        Assert.Equal(4, match.Index);
        Assert.Equal("jürgen", match.Value(regex.Pattern.GroupNumber("user")));
    }

    [Fact]
    public void Translate_UnnamedGroupsWithoutReferences_DoNotCapture()
    {
        Assert.Equal(0, CompiledRegex.Compile(PythonToPcre2.Translate("(a)(b)", captureUnnamed: false)).Pattern.CaptureCount);
        Assert.Equal(2, CompiledRegex.Compile(PythonToPcre2.Translate(@"(a)(b)\1", captureUnnamed: false)).Pattern.CaptureCount);
    }

    [Fact]
    public void Match_InvalidUtf8_NeitherThrowsNorDropsTheRest()
    {
        var pattern = Pcre2Pattern.Compile("from (?P<ip>[0-9.]+)", LibPcre2.Ucp);
        byte[] line = [0xff, 0xfe, 0xc3, (byte)' ', .. "from 192.0.2.1"u8];

        Assert.True(pattern.Match(line, MatchScratch.Current) > 0);
    }

    [Fact]
    public void Compile_BadPattern_SaysWhereAndWhy()
    {
        var error = Assert.Throws<ArgumentException>(() => Pcre2Pattern.Compile("a(b", 0));

        Assert.Contains("offset 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_NamesEngineVersionAndJit()
    {
        Assert.Matches(@"^pcre2 10\.\d+, (jit|interpreter)$", RegexEngine.Description);
    }
}
