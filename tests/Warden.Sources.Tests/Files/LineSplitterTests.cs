using System.Text;
using Warden.Sources.Files;

namespace Warden.Sources.Tests.Files;

public sealed class LineSplitterTests
{
    [Fact]
    public void Feed_ChunksSplitMidLine_JoinsThem()
    {
        var splitter = new LineSplitter(100);
        var lines = new List<string>();

        splitter.Feed("ab"u8, lines);
        splitter.Feed("c\nde"u8, lines);

        Assert.Equal(["abc"], lines);
        Assert.Equal(4, splitter.Committed);
        Assert.Equal(6, splitter.Position);
        Assert.Equal(2, splitter.PendingLength);
    }

    [Fact]
    public void Feed_LineLongerThanLimitAcrossChunks_CutOnceAndRestSkipped()
    {
        var splitter = new LineSplitter(4);
        var lines = new List<string>();

        splitter.Feed("abc"u8, lines);
        splitter.Feed("defg"u8, lines);
        Assert.True(splitter.Discarding);
        Assert.Equal(7, splitter.Committed);
        splitter.Feed("hi\nok\n"u8, lines);

        Assert.Equal(["abcd", "ok"], lines);
        Assert.Equal(1, splitter.TakeOverlong());
        Assert.False(splitter.Discarding);
    }

    [Fact]
    public void Feed_LineExactlyAtLimit_IsNotOverlong()
    {
        var splitter = new LineSplitter(4);
        var lines = new List<string>();

        splitter.Feed("ab"u8, lines);
        splitter.Feed("cd\n"u8, lines);

        Assert.Equal(["abcd"], lines);
        Assert.Equal(0, splitter.TakeOverlong());
    }

    [Fact]
    public void Flush_PendingPartialLine_EmitsIt()
    {
        var splitter = new LineSplitter(100);
        var lines = new List<string>();
        splitter.Feed("tail"u8, lines);

        splitter.Flush(lines);

        Assert.Equal(["tail"], lines);
        Assert.Equal(4, splitter.Committed);
    }

    [Fact]
    public void Feed_UtfEightSplitAcrossChunks_DecodesWhole()
    {
        var splitter = new LineSplitter(100);
        var lines = new List<string>();
        var bytes = Encoding.UTF8.GetBytes("héllo\n");

        splitter.Feed(bytes.AsSpan(0, 2), lines);
        splitter.Feed(bytes.AsSpan(2), lines);

        Assert.Equal(["héllo"], lines);
    }
}
