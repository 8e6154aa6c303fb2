using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Actions.Command.Tests;

public sealed class CommandFirewallTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ActionDir _dir = new();

    [Fact]
    public async Task BanAsync_LogDerivedValueFullOfShellMetacharacters_RunsOnlyTheIntendedCommand()
    {
        _dir.Write("action.d/record.conf", """
            [Definition]
            actionstart = echo "start <name>" >> <out>
            actionban = echo ban <ip> user=<F-USER> '<F-USER>' "<matches>" failures=<failures> bantime=<bantime> >> <out>
            actionunban = echo unban <ip> >> <out>
            [Init]
            out = OUT
            """);
        var firewall = Create("record[out=\"" + _dir.File("out.txt") + "\"]");
        var user = "root$(touch " + _dir.File("PWNED") + ")`id>" + _dir.File("PWNED2") + "`';touch " + _dir.File("PWNED3") + ";'";
        var ban = Ban("192.0.2.7") with
        {
            Fields = new Dictionary<string, string> { ["user"] = user },
            Matches = ["Failed password for " + user + " from 192.0.2.7", "line two; rm -rf /"],
        };

        await firewall.ApplyStateAsync([], [], CancellationToken.None);
        await firewall.BanAsync([ban], CancellationToken.None);
        await firewall.UnbanAsync([ban], CancellationToken.None);

        Assert.Equal(
            [
                "start sshd",
                $"ban 192.0.2.7 user={user} {user} Failed password for {user} from 192.0.2.7",
                "line two; rm -rf / failures=5 bantime=3600",
                "unban 192.0.2.7",
            ],
            File.ReadAllLines(_dir.File("out.txt")));
        Assert.Equal(["out.txt"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ApplyStateAsync_FirstTime_StartsFlushesAndBansStoredBansAsRestored()
    {
        _dir.Write("action.d/record.conf", """
            [Definition]
            norestored = 1
            actionstart = echo start >> <out>
            actionflush = echo flush >> <out>
            actionban = echo ban <ip> restored=<restored> >> <out>
            actionunban = echo unban <ip> >> <out>
            """);
        var firewall = Create($"record[out=\"{_dir.File("out.txt")}\"]");

        await firewall.ApplyStateAsync([], [Ban("192.0.2.1")], CancellationToken.None);
        await firewall.BanAsync([Ban("192.0.2.2"), Ban("192.0.2.2")], CancellationToken.None);
        await firewall.ApplyStateAsync([], [Ban("192.0.2.2")], CancellationToken.None);

        // norestored: the stored ban is held without running actionban; a repeated ban runs once.
        Assert.Equal(["start", "flush", "ban 192.0.2.2 restored=0", "unban 192.0.2.1"], File.ReadAllLines(_dir.File("out.txt")));
    }

    [Fact]
    public async Task BanAsync_ActionCheckFails_RepairsThenBans()
    {
        var marker = _dir.File("started");
        _dir.Write("action.d/record.conf", $"""
            [Definition]
            actionstart = touch {marker}; echo start >> <out>
            actionstop = rm -f {marker}; echo stop >> <out>
            actioncheck = test -f {marker}
            actionban = echo ban <ip> >> <out>
            """);
        var firewall = Create($"record[out=\"{_dir.File("out.txt")}\"]");
        await firewall.ApplyStateAsync([], [], CancellationToken.None);
        File.Delete(marker);

        await firewall.BanAsync([Ban("192.0.2.9")], CancellationToken.None);

        Assert.Equal(["start", "stop", "start", "ban 192.0.2.9"], File.ReadAllLines(_dir.File("out.txt")));
    }

    [Fact]
    public async Task BanAsync_CommandFails_ThrowsWithExitCodeAndOutput()
    {
        _dir.Write("action.d/broken.conf", "[Definition]\nactionban = echo cannot ban <ip> >&2; exit 3\n");
        var firewall = Create("broken");

        var error = await Assert.ThrowsAsync<FirewallException>(() => firewall.BanAsync([Ban("192.0.2.9")], CancellationToken.None));

        Assert.Equal(3, error.ExitCode);
        Assert.Contains("cannot ban 192.0.2.9", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BanAsync_ConditionalFamilySections_RunTheFamilysCommandsStartedOnDemand()
    {
        _dir.Write("action.d/fam.conf", """
            [Definition]
            actionstart = echo start <tool> >> <out>
            actionban = echo <tool> ban <ip> >> <out>
            [Init]
            tool = iptables
            [Init?family=inet6]
            tool = ip6tables
            """);
        var firewall = Create($"fam[out=\"{_dir.File("out.txt")}\"]");

        await firewall.ApplyStateAsync([], [], CancellationToken.None);
        await firewall.BanAsync([Ban("2001:db8::1"), Ban("192.0.2.1")], CancellationToken.None);

        Assert.Equal(["start ip6tables", "ip6tables ban 2001:db8::1", "start iptables", "iptables ban 192.0.2.1"], File.ReadAllLines(_dir.File("out.txt")));
    }

    [Fact]
    public async Task IgnoreCheck_ExitCodes_MeanIgnoreOrNot()
    {
        var check = new CommandIgnoreCheck("test <ip> = 192.0.2.1", TimeSpan.FromSeconds(10), NullLogger.Instance);
        var hostile = new CommandIgnoreCheck("exit 7 # <ip>", TimeSpan.FromSeconds(10), NullLogger.Instance);

        Assert.True(await check.IsIgnoredAsync("sshd", IPAddress.Parse("192.0.2.1"), CancellationToken.None));
        Assert.False(await check.IsIgnoredAsync("sshd", IPAddress.Parse("192.0.2.2"), CancellationToken.None));
        Assert.False(await hostile.IsIgnoredAsync("sshd", IPAddress.Parse("192.0.2.1"), CancellationToken.None));
    }

    public void Dispose() => _dir.Dispose();

    private CommandFirewall Create(string action) => new(_dir.Spec(action), _time, NullLogger.Instance);

    private Ban Ban(string address) =>
        new("sshd", AddressParsing.HostNetwork(IPAddress.Parse(address)), _time.GetUtcNow(), _time.GetUtcNow() + TimeSpan.FromHours(1), BanOrigin.Jail, 5);
}
