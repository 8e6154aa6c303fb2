using Warden.Sources.Files;
using Warden.TestKit;

namespace Warden.Sources.Tests.Files;

public sealed class FileHeadTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Matches_FileStartingWithTheBytes_TrueAndFalseOnceTheyChange(bool sha256)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "auth.log");
        var start = "Nov  1 12:00:00 host sshd[1]: Failed password for root from 192.0.2.7\n"u8.ToArray();
        File.WriteAllBytes(path, [.. start, .. "more\n"u8]);
        var head = sha256 ? FileHead.OfSha256(start) : FileHead.Of(start);

        using (var handle = File.OpenHandle(path))
        {
            Assert.True(head.Matches(handle));
        }

        start[0] = (byte)'D';
        File.WriteAllBytes(path, start);
        using (var handle = File.OpenHandle(path))
        {
            Assert.False(head.Matches(handle));
        }
    }

    [Fact]
    public void Of_DifferentBytes_DifferentHashes() =>
        Assert.NotEqual(FileHead.Of("Nov  1 12:00:00 a"u8).Hash, FileHead.Of("Nov  1 12:00:01 a"u8).Hash);
}
