using System.Text.RegularExpressions;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Tests.Regexes;

public sealed class PythonRegexTests
{
    [Theory]
    [InlineData(@"(?P<user>\w+) (?P=user)", "bob bob", true)]
    [InlineData(@"(?P<user>\w+) (?P=user)", "bob alice", false)]
    [InlineData(@"^abc\Z", "abc\n", false)]
    [InlineData(@"^abc$", "abc\n", true)]
    [InlineData(@"^a{,2}b$", "aab", true)]
    [InlineData(@"^[[]x$", "[x", true)]
    [InlineData(@"^[\w-[]+$", "a-[", true)]
    [InlineData(@"^[]a]+$", "]a]", true)]
    [InlineData(@"foo(?i)BAR", "FOObar", true)]
    [InlineData(@"^(?:(?i)x)y$", "Xy", true)]
    [InlineData(@"^(?:(?i)x)y$", "XY", false)]
    public void Translate_PythonSyntax_MatchesAsPythonDoes(string pattern, string input, bool expected)
    {
        var translated = PythonRegex.Translate(pattern);

        Assert.Equal(expected, new Regex(translated.Pattern, translated.Options).IsMatch(input));
    }

    [Fact]
    public void Translate_MixedGroups_MapsPythonNumbersToDotNetGroups()
    {
        var translated = PythonRegex.Translate(@"(?P<a>x)(y)(?P<b>z)\2");
        var match = new Regex(translated.Pattern).Match("xyzy");

        Assert.True(match.Success);
        Assert.Equal("y", match.Groups[translated.GroupNames[2]].Value);
        Assert.Equal("z", match.Groups[translated.GroupNames[3]].Value);
    }

    [Fact]
    public void Expand_HostTag_CapturesIPv4IPv6AndNames()
    {
        var regex = new Regex(PythonRegex.Translate("from " + FilterTags.Expand("<HOST>") + "$").Pattern);

        Assert.Equal("192.0.2.1", regex.Match("from 192.0.2.1").Groups["ip4"].Value);
        Assert.Equal("2001:db8::1", regex.Match("from 2001:db8::1").Groups["ip6"].Value);
        Assert.Equal("192.0.2.1", regex.Match("from ::ffff:192.0.2.1").Groups["ip4"].Value);
        Assert.Equal("host.example", regex.Match("from host.example").Groups["dns"].Value);
    }

    [Fact]
    public void Expand_FieldTags_BecomeNamedGroupsAndUnopenedClosersStay()
    {
        Assert.Equal("(?P<user>.*)", FilterTags.Expand("<F-USER>.*</F-USER>"));
        Assert.Equal(@"(?P<fid>\S+)", FilterTags.Expand("<F-ID/>"));
        Assert.Equal("</F-X>", FilterTags.Expand("</F-X>"));
    }
}
