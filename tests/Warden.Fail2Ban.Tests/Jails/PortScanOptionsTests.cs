using Warden.Core.Jails;
using Warden.Fail2Ban.Jails;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Jails;

/// <summary>The options of a port-scan jail (<c>filter = portscan</c>, docs/portscan.md).</summary>
public sealed class PortScanOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-portscan-jails");

    [Fact]
    public void Load_NflogWithLogRule_NeedsNoLogpathAndCarriesTheRule()
    {
        var jail = LoadOne("nflog = 7\nlogrule = yes\nlogrule.rate = 50\nlogrule.exclude = ssh, 8000:8010\nmaxports = 12");

        Assert.Equal(7, jail.NflogGroup);
        Assert.Empty(jail.LogPaths);
        var scan = jail.Policy.PortScan!;
        Assert.Equal((12, 0), (scan.MaxPorts, scan.MaxAddresses));
        Assert.Equal(7, scan.LogRule!.Group);
        Assert.Equal(50, scan.LogRule.RatePerSecond);
        Assert.Equal([new PortRange(22, 22), new PortRange(8000, 8010)], scan.LogRule.ExcludedPorts);
    }

    [Fact]
    public void Load_LogpathOnly_DefaultsToTenPortsAndNoRule()
    {
        var jail = LoadOne("logpath = /dev/null");

        Assert.Null(jail.NflogGroup);
        Assert.Equal(new PortScanPolicy(10, 0), jail.Policy.PortScan);
        Assert.Null(jail.Policy.PortScan!.LogRule);
    }

    [Fact]
    public void Load_MaxAddressesAlone_TurnsThePortCountOff()
    {
        var scan = LoadOne("logpath = /dev/null\nmaxaddresses = 20").Policy.PortScan!;

        Assert.Equal((0, 20), (scan.MaxPorts, scan.MaxAddresses));
    }

    [Fact]
    public void Load_OtherFilter_IsNotAPortScanJail()
    {
        _dir.Write("jail.local", "[sshd]\nenabled = true\nlogpath = /dev/null\naction =\nmaxports = 3\n");

        Assert.Null(Assert.Single(JailConfigLoader.Load(_dir.Path).Jails).Policy.PortScan);
    }

    [Theory]
    [InlineData("nflog = 7\nlogrule = yes\nlogrule.rate = 0", "logrule.rate")]
    [InlineData("logpath = /dev/null\nlogrule = yes", "logrule")]
    [InlineData("nflog = 70000", "nflog")]
    [InlineData("nflog = 7\nmaxports = 0", "maxports")]
    [InlineData("nflog = 7\nlogrule = yes\nlogrule.exclude = nosuchservice", "logrule.exclude")]
    public void Load_BadOption_IsAnErrorNamingTheOption(string options, string option)
    {
        _dir.Write("jail.local", $"[portscan]\nenabled = true\nfilter = portscan\naction =\n{options}\n");

        var result = JailConfigLoader.Load(_dir.Path);

        Assert.Empty(result.Jails);
        Assert.Contains(result.Errors, e => e.Message.Contains(option, StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private JailDefinition LoadOne(string options)
    {
        _dir.Write("jail.local", $"[portscan]\nenabled = true\nfilter = portscan\naction =\n{options}\n");
        var result = JailConfigLoader.Load(_dir.Path);
        Assert.Empty(result.Errors.Select(e => e.ToString()));
        return Assert.Single(result.Jails);
    }
}
