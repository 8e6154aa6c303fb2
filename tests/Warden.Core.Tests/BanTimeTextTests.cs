using Warden.Core.Bans;

namespace Warden.Core.Tests;

public sealed class BanTimeTextTests
{
    [Fact]
    public void Format_AnOffsetTime_IsIso8601InUtcToTheSecond()
    {
        var time = new DateTimeOffset(2026, 12, 2, 0, 13, 6, 789, TimeSpan.FromHours(2));

        Assert.Equal("2026-12-01T22:13:06Z", BanTimeText.Format(time));
    }

    [Fact]
    public void Expiry_PermanentBan_IsForever()
    {
        Assert.Equal("forever", BanTimeText.Expiry(null));
        Assert.Equal("2026-12-01T22:13:06Z", BanTimeText.Expiry(new DateTimeOffset(2026, 12, 1, 22, 13, 6, TimeSpan.Zero)));
    }
}
