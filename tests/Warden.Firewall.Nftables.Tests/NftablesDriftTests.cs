using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Firewall.Nftables.Tests;

public sealed class NftablesDriftTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly ITestOutputHelper _output;
    private readonly NftablesInNamespace _env = new("nd");

    public NftablesDriftTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task CheckAsync_OwnChangesOnly_InSync()
    {
        Assert.Null(await _env.Firewall.CheckAsync(default));
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [TestBans.Of("sshd", "192.0.2.1", Hour)], default);
        await _env.Firewall.BanAsync([.. TestBans.Hosts(5000).Select(a => TestBans.Of("sshd", a, Hour))], default);
        await _env.Firewall.UnbanAsync([TestBans.Of("sshd", "192.0.2.1", Hour)], default);
        await _env.Firewall.BanAsync([TestBans.Of("sshd", "10.200.0.0/16", Hour)], default);

        Assert.Null(await _env.Firewall.CheckAsync(default));
    }

    [Fact]
    public async Task CheckAsync_OtherTablesChange_InSync()
    {
        await _env.Firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default);

        _env.Namespace.Exec("nft", "add table inet other; add chain inet other c { type filter hook input priority 0; }; add table ip filter");

        Assert.Null(await _env.Firewall.CheckAsync(default));
    }

    [Theory]
    [InlineData("flush ruleset")]
    [InlineData("delete table inet warden")]
    [InlineData("flush chain inet warden prerouting")]
    [InlineData("delete element inet warden sshd_h4 { 192.0.2.1 }")]
    [InlineData("flush set inet warden sshd_n4")]
    [InlineData("add element inet warden sshd_h4 { 198.51.100.9 }")]
    public async Task CheckAsync_ForeignChangeToWardensTable_ReportsDriftOnce(string command)
    {
        var jails = new[] { TestBans.Jail("sshd", 22) };
        var bans = new[] { TestBans.Of("sshd", "192.0.2.1", Hour), TestBans.Of("sshd", "10.1.0.0/16", Hour) };
        await _env.Firewall.ApplyStateAsync(jails, bans, default);

        _env.Namespace.Exec("nft", command);

        var drift = await _env.Firewall.CheckAsync(default);
        _output.WriteLine(drift);
        Assert.NotNull(drift);
        await _env.Firewall.ApplyStateAsync(jails, bans, default);
        Assert.Null(await _env.Firewall.CheckAsync(default));
        Assert.Equal("192.0.2.1", Assert.Single(NftProbe.Elements(_env.Namespace, "sshd_h4")).Value);
    }
}
