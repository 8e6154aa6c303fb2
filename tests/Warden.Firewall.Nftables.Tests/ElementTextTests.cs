using System.Text;
using Warden.Firewall.Nftables.Ruleset;

namespace Warden.Firewall.Nftables.Tests;

public sealed class ElementTextTests
{
    [Theory]
    [InlineData(3_600_000, " timeout 1h")]
    [InlineData(93_784_005, " timeout 1d2h3m4s5ms")]
    [InlineData(0.4, " timeout 1ms")]
    [InlineData(8_640_000_000, " timeout 100d")]
    public void AppendTimeout_Milliseconds_WrittenInUnitsNftParses(double milliseconds, string expected)
    {
        var text = new StringBuilder();

        ElementText.AppendTimeout(text, TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, text.ToString());
    }

    [Fact]
    public void AppendTimeout_PermanentOrBeyondMaximum_WritesNothing()
    {
        var text = new StringBuilder();

        ElementText.AppendTimeout(text, null);
        ElementText.AppendTimeout(text, TimeSpan.FromDays(20_000));

        Assert.Equal(string.Empty, text.ToString());
    }

    [Theory]
    [InlineData("sshd", "sshd")]
    [InlineData("nginx-http-auth", "nginx-http-auth")]
    [InlineData("1st jail", "j_1st_jail_")]
    [InlineData("a.b", "j_a_b_")]
    public void BaseName_JailName_IsSafeNftIdentifier(string jail, string expectedPrefix)
    {
        var name = JailSets.BaseName(jail);

        Assert.StartsWith(expectedPrefix, name);
        Assert.Matches("^[A-Za-z][A-Za-z0-9_-]*$", name);
        Assert.NotEqual(JailSets.BaseName("a_b"), JailSets.BaseName("a.b"));
    }
}
