using Warden.Core.Ports;
using Warden.Firewall.Nftables.Native;
using Warden.Firewall.Nftables.Ruleset;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>The drop counters per jail from a chain's rules (the kernel's own dump is read in <see cref="NftablesTrafficTests"/>).</summary>
public sealed class RuleCountersTests
{
    [Fact]
    public void Sum_JailRules_AddsEachJailsDropAndRejectRulesOnly()
    {
        RuleDump.Rule[] rules =
        [
            new("sshd_h4", 7, 420, Drops: true),
            new("sshd_n4", 3, 180, Drops: true),
            new("web_h6", 1, 80, Drops: true),
            // web's port-scan logging rule is no drop; the rule of a set no jail has is left out.
            new("web_h4", 99, 9900, Drops: false),
            new("gone_h4", 5, 300, Drops: true),
            new(null, 50, 5000, Drops: true),
        ];

        var drops = RuleCounters.Sum(rules, [JailSets.For(TestBans.Jail("sshd", 22)), JailSets.For(TestBans.Jail("web", 80))]);

        Assert.Equal([new JailDrops("sshd", 10, 600), new JailDrops("web", 1, 80)], drops);
    }

    [Fact]
    public void Parse_DoneAndError_EndTheDump()
    {
        var done = new byte[20];
        BitConverter.TryWriteBytes(done.AsSpan(0, 4), 20);
        BitConverter.TryWriteBytes(done.AsSpan(4, 2), (ushort)3);
        var error = new byte[36];
        BitConverter.TryWriteBytes(error.AsSpan(0, 4), 36);
        BitConverter.TryWriteBytes(error.AsSpan(4, 2), (ushort)2);
        BitConverter.TryWriteBytes(error.AsSpan(16, 4), -2);

        Assert.Equal(0, RuleDump.Parse(done, []));
        Assert.Equal(2, RuleDump.Parse(error, []));
        Assert.Null(RuleDump.Parse(ReadOnlySpan<byte>.Empty, []));
    }
}
