using Warden.Core.Ports;

namespace Warden.Core.Tests;

/// <summary>The backends name a jail's objects with this hash: it must never change (the FNV-1a test vectors).</summary>
public sealed class StableHashTests
{
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Of_KnownInputs_GiveTheFnv1aValues(string text, uint expected)
    {
        Assert.Equal(expected, StableHash.Of(text));
    }
}
