using Warden.Sources.Files;
using Warden.Sources.Native;

namespace Warden.Sources.Tests.Files;

public sealed class FileCheckpointTests
{
    [Fact]
    public void Parse_FormattedCheckpoint_RoundTrips()
    {
        var checkpoint = new FileCheckpoint(new FileIdentity(0x800000001, 1234), 99, FileHead.Of("abc"u8), true, "/var/log/my auth.log");

        var parsed = FileCheckpoint.Parse(checkpoint.ToString());

        Assert.Equal(checkpoint, parsed);
    }

    [Fact]
    public void ToString_NewCheckpoint_IsVersion2()
    {
        var checkpoint = new FileCheckpoint(new FileIdentity(1, 2), 3, FileHead.Of("abc"u8), false, "/p");

        Assert.StartsWith("f2 1:2 3 3:", checkpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Version1Token_KeepsItsSha256HeadAndFormatsAsVersion1()
    {
        var token = "f1 1:2 3 3:" + FileHead.OfSha256("abc"u8).Hash.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + " - /var/log/auth.log";

        var parsed = FileCheckpoint.Parse(token)!;

        Assert.Equal(FileHead.OfSha256("abc"u8), parsed.Head);
        Assert.Equal(token, parsed.ToString());
    }

    [Fact]
    public void Parse_Absent_IsNull() => Assert.Null(FileCheckpoint.Parse(FileCheckpoint.Absent));

    [Theory]
    [InlineData("")]
    [InlineData("f1 1:2 3 4:5 x /p")]
    [InlineData("f3 1:2 3 4:5 - /p")]
    [InlineData("f1 12 3 4:5 - /p")]
    [InlineData("f1 1:2 99999999999999999999 4:5 - /p")]
    public void Parse_Garbage_Throws(string token) => Assert.Throws<FormatException>(() => FileCheckpoint.Parse(token));
}
