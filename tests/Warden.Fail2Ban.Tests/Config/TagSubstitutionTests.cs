using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Tests.Config;

public sealed class TagSubstitutionTests
{
    [Fact]
    public void Substitute_NestedTags_ResolveInsideOut()
    {
        var result = TagSubstitution.Substitute(
            [KeyValuePair.Create("failregex", "^<re-<mode>> <HOST>$"), KeyValuePair.Create("mode", "aggressive")],
            name => name == "re-aggressive" ? "x <sub>" : name == "sub" ? "y" : null);

        Assert.Equal("^x y <HOST>$", result["failregex"]);
    }

    [Fact]
    public void Substitute_SelfReference_Throws()
    {
        Assert.Throws<FormatException>(() => TagSubstitution.Substitute([KeyValuePair.Create("a", "<a>")]));
    }

    [Fact]
    public void Substitute_ConditionalValue_WinsOverPlainOne()
    {
        var result = TagSubstitution.Substitute(
            [KeyValuePair.Create("cmd", "add <type>"), KeyValuePair.Create("type", "ip"), KeyValuePair.Create("type?family=inet6", "ip6")],
            conditional: "family=inet6");

        Assert.Equal("add ip6", result["cmd"]);
    }
}
