using System.Net;
using Warden.Cli.Hosting;
using Warden.Core.Ports;
using Warden.Fail2Ban;
using Warden.TestKit;
using static Warden.Cli.Tests.WardenConf;

namespace Warden.Cli.Tests;

/// <summary>warden.conf as <see cref="WardenSettingsReader"/> reads it: typed values, defaults, and bad values at their file and line.</summary>
public sealed class WardenSettingsReaderTests
{
    [Fact]
    public void Read_NoFile_AllDefaults()
    {
        using var dir = new TempDirectory();
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();

        var settings = WardenSettingsReader.Read(dir.Path, errors, warnings);

        Assert.Empty(errors);
        Assert.Empty(warnings);
        Assert.Equal(FirewallKind.Nftables, settings.Firewall);
        Assert.Equal(BlockType.Drop, settings.BlockType);
    }

    [Fact]
    public void Read_EveryWardenKey_ParsedToItsType()
    {
        var (settings, errors, warnings) = Read("""
            [warden]
            firewall = iptables
            state = /var/lib/other/state.db
            ignoreself = no
            native_actions = off
            flush_on_stop = yes
            compact_memory = 0
            mode = shadow
            history = 7d
            allowlist = 192.0.2.0/24, 2001:db8::1
            forward_allow = br0 docker0
            [api]
            socket = /run/other/api.sock
            [iptables]
            iptables = iptables-legacy
            blocktype = reject
            """);

        Assert.Empty(errors);
        Assert.Empty(warnings);
        Assert.Equal(FirewallKind.Iptables, settings.Firewall);
        Assert.Null(settings.UnknownFirewall);
        Assert.Equal("/var/lib/other/state.db", settings.StatePath);
        Assert.False(settings.IgnoreSelf);
        Assert.False(settings.NativeActions);
        Assert.True(settings.FlushOnStop);
        Assert.False(settings.CompactMemory);
        Assert.True(settings.Shadow);
        Assert.Equal(TimeSpan.FromDays(7), settings.History);
        Assert.True(settings.Allowlist.Contains(IPAddress.Parse("192.0.2.9")));
        Assert.True(settings.Allowlist.Contains(IPAddress.Parse("2001:db8::1")));
        Assert.False(settings.Allowlist.Contains(IPAddress.Parse("198.51.100.1")));
        Assert.Equal(["br0", "docker0"], settings.ForwardAllow);
        Assert.Equal("/run/other/api.sock", settings.ApiSocket);
        Assert.Equal("iptables-legacy", settings.Iptables);
        Assert.Equal(BlockType.Reject, settings.BlockType);
    }

    [Theory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    [InlineData("pf")]
    public void Read_Firewall_EachRegisteredName(string name)
    {
        var (settings, errors, _) = Read($"[warden]\nfirewall = {name}\n");

        Assert.Empty(errors);
        Assert.Equal(name, settings.Firewall.Name);
        Assert.Equal(name, settings.FirewallName);
    }

    [Fact]
    public void Read_HistoryForever_IsNull()
    {
        var (settings, errors, _) = Read("[warden]\nhistory = -1\n");

        Assert.Empty(errors);
        Assert.Null(settings.History);
    }

    [Theory]
    [InlineData("[warden]\nfirewall = nft", 2, "unknown firewall backend 'nft' (known: nftables, iptables, pf)")]
    [InlineData("[warden]\nfirewall = NFTABLES", 2, "unknown firewall backend 'NFTABLES' (known: nftables, iptables, pf)")]
    [InlineData("[nftables]\n\nblocktype = deny", 3, "blocktype must be drop or reject, not 'deny'")]
    [InlineData("[pf]\nblocktype = return", 2, "blocktype must be drop or reject, not 'return'")]
    [InlineData("[warden]\nstate = warden.db", 2, "state must be an absolute path, not 'warden.db'")]
    [InlineData("[warden]\nhistory = forever", 2, "history: ")]
    [InlineData("[warden]\nallowlist = 192.0.2.0/24 nowhere", 2, "allowlist: 'nowhere' is not an address or network (CIDR)")]
    [InlineData("[warden]\nmode = dry", 2, "mode must be enforce or shadow, not 'dry'")]
    [InlineData("[warden]\nignoreself = perhaps", 2, "expected true or false, not 'perhaps'")]
    [InlineData("[api]\nsocket = api.sock", 2, "socket must be an absolute path, not 'api.sock'")]
    [InlineData("[iptables]\niptables = /sbin/iptables", 2, "iptables must be iptables, iptables-nft or iptables-legacy, not '/sbin/iptables'")]
    public void Read_BadValue_IsAnErrorAtItsFileAndLine(string text, int line, string message)
    {
        var (_, errors, _) = Read(text + "\n", out var path);

        var error = Assert.Single(errors);
        Assert.Equal((path, line), (error.File, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{line}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadValue_KeepsTheDefault()
    {
        var (settings, _, _) = Read("[nftables]\nblocktype = deny\n[warden]\nstate = relative.db\n");

        Assert.Equal(BlockType.Drop, settings.BlockType);
        Assert.Equal(WardenSettings.DefaultStatePath, settings.StatePath);
    }

    [Fact]
    public void Read_UnknownFirewall_IsKeptAsThatErrorAndNothingIsNative()
    {
        var (settings, errors, _) = Read("[warden]\nfirewall = carrier-pigeon\n");

        Assert.Same(Assert.Single(errors), settings.UnknownFirewall);
        Assert.Equal("unknown", settings.FirewallName);
    }

    [Fact]
    public void Read_UnknownKey_IsAWarningAtItsLine()
    {
        var (_, errors, warnings) = Read("[warden]\nfirewal = nftables\n", out var path);

        Assert.Empty(errors);
        var warning = Assert.Single(warnings);
        Assert.Equal((path, 2, "unknown setting [warden] firewal; ignored"), (warning.File, warning.Line, warning.Message));
    }
}
