using Warden.Fail2Ban.Actions;

namespace Warden.Fail2Ban.Tests.Actions;

public sealed class ActionListTests
{
    [Fact]
    public void TryParse_SeveralActionsWithOptions_SplitsLikeFail2Ban()
    {
        var text = "iptables-multiport[port=\"ssh,2222\", protocol='tcp', chain=INPUT]\n  sendmail-whois[name=sshd, dest=\"a@b\"][sender=x]   dummy";

        Assert.True(ActionList.TryParse(text, out var actions, out var error), error);

        Assert.Equal(["iptables-multiport", "sendmail-whois", "dummy"], actions.Select(a => a.Name));
        Assert.Equal("ssh,2222", actions[0].Options["port"]);
        Assert.Equal("tcp", actions[0].Options["protocol"]);
        Assert.Equal("INPUT", actions[0].Options["chain"]);
        Assert.Equal(["dest", "name", "sender"], actions[1].Options.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(actions[2].Options);
    }

    [Fact]
    public void TryParse_GarbageInOptions_IsAnError()
    {
        Assert.False(ActionList.TryParse("dummy iptables[port=ssh, !!]", out _, out var error));
        Assert.Contains("iptables[port=ssh", error, StringComparison.Ordinal);
    }
}
