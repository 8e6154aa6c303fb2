using Warden.Core.Fleet;

namespace Warden.Core.Tests.Fleet;

public sealed class FleetCursorTests
{
    [Fact]
    public void ToCheckpoint_ThenParse_GivesPositionAndWatermarksBack()
    {
        var cursor = new FleetCursor("e1/1700000000000-3", new Dictionary<string, long> { ["a"] = 42, ["b-2"] = 1_700_000_000_000_000 });

        var checkpoint = cursor.ToCheckpoint();
        var back = FleetCursor.Parse(checkpoint.Token);

        Assert.Equal(FleetCursor.SourceId, checkpoint.SourceId);
        Assert.Equal("e1/1700000000000-3", back.Position);
        Assert.Equal(cursor.Watermarks.OrderBy(w => w.Key), back.Watermarks.OrderBy(w => w.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fleet-cursor-1")]
    [InlineData("fleet-cursor-2\n-")]
    [InlineData("fleet-cursor-1\n-\na 12 13")]
    [InlineData("fleet-cursor-1\n-\nbad$name 12")]
    [InlineData("fleet-cursor-1\n-\na -1")]
    public void Parse_AnythingElse_IsNone(string? token)
    {
        Assert.Same(FleetCursor.None, FleetCursor.Parse(token));
    }

    [Fact]
    public void Parse_NoPosition_IsNullPosition()
    {
        Assert.Null(FleetCursor.Parse(new FleetCursor(null, new Dictionary<string, long> { ["a"] = 1 }).ToCheckpoint().Token).Position);
    }
}
