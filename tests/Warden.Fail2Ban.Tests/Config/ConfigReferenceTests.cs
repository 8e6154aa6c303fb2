using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Tests.Config;

public sealed class ConfigReferenceTests
{
    [Fact]
    public void Parse_NameWithOptions_SplitsThem()
    {
        var reference = ConfigReference.Parse("sshd[mode=aggressive, publickey=invalid]");

        Assert.Equal("sshd", reference.Name);
        Assert.Equal("aggressive", reference.Options["mode"]);
        Assert.Equal("invalid", reference.Options["publickey"]);
    }

    [Fact]
    public void Parse_QuotedValuesAndSeveralGroups_KeepCommas()
    {
        var reference = ConfigReference.Parse("act[name=\"a, b\"][port='22,80']");

        Assert.Equal("a, b", reference.Options["name"]);
        Assert.Equal("22,80", reference.Options["port"]);
    }

    [Fact]
    public void Parse_GarbageInBrackets_Throws()
    {
        Assert.Throws<FormatException>(() => ConfigReference.Parse("sshd[mode]"));
    }
}
