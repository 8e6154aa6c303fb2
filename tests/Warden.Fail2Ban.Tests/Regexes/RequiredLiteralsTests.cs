using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Tests.Regexes;

public sealed class RequiredLiteralsTests
{
    [Theory]
    [InlineData(@"^Failed \S+ for (?<user>\S+) from", "Failed ")]
    [InlineData(@"^[iI](?:llegal|nvalid) user (?<user>.*?) from", "illegal user |invalid user |Illegal user |Invalid user ")]
    [InlineData(@"^(?:Connection (?:closed|reset)|Disconnected) by", "Connection closed by|Connection reset by|Disconnected by")]
    [InlineData(@"^(?:foo)?bar\d+bazz", "bazz")]
    [InlineData(@"user (?=x)xyz done", "user xyz done")]
    [InlineData(@"a+bcd", "abcd")]
    public void Find_Pattern_ReturnsWhatEveryMatchContains(string pattern, string expected)
    {
        Assert.Equal(expected.Split('|'), RequiredLiterals.Find(pattern));
    }

    [Theory]
    [InlineData(@"^\S+ \d+$")]
    [InlineData(@"^(?:abc|\d+)x$")]
    [InlineData(@"(?:long literal)?\w+")]
    [InlineData(@"ab")]
    public void Find_NothingUsefulRequired_ReturnsNull(string pattern)
    {
        Assert.Null(RequiredLiterals.Find(pattern));
    }
}
