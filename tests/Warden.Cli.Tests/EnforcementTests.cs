using Microsoft.Extensions.Logging.Abstractions;
using Warden.Cli.Hosting;
using Warden.Core.Bans;
using Warden.Core.Ports;
using Warden.TestKit;
using static Warden.Cli.Tests.WiredJails;

namespace Warden.Cli.Tests;

/// <summary>Which jails the native backend enforces and which run their action.d commands (<see cref="Enforcement"/>).</summary>
public sealed class EnforcementTests
{
    private static readonly WardenSettings Nftables = new();

    [Theory]
    [InlineData("nftables-multiport")]
    [InlineData("nftables-allports")]
    [InlineData("iptables-multiport")]
    [InlineData("iptables-ipset-proto6-allports")]
    public void IsNative_LinuxFirewallActionOnALinuxBackend_IsNative(string file)
    {
        Assert.True(Enforcement.IsNative(Action(file), Nftables));
        Assert.True(Enforcement.IsNative(Action(file), Nftables with { Firewall = FirewallKind.Iptables }));
        Assert.False(Enforcement.IsNative(Action(file), Nftables with { Firewall = FirewallKind.Pf }));
    }

    [Fact]
    public void IsNative_PfAction_OnlyOnPf()
    {
        Assert.True(Enforcement.IsNative(Action("pf"), Nftables with { Firewall = FirewallKind.Pf }));
        Assert.False(Enforcement.IsNative(Action("pf"), Nftables));
    }

    [Fact]
    public void IsNative_NativeActionsOffOrUnknownFirewall_NothingIsNative()
    {
        Assert.False(Enforcement.IsNative(Action("iptables-multiport"), Nftables with { NativeActions = false }));
        Assert.False(Enforcement.IsNative(Action("iptables-multiport"), Nftables with { UnknownFirewall = new Fail2Ban.ConfigError("warden.conf", 2, "unknown firewall backend 'x'") }));
        Assert.False(Enforcement.IsNative(Action("sendmail-whois"), Nftables));
    }

    [Fact]
    public void Describe_EachKindOfJail_SaysWhoEnforcesIt()
    {
        Assert.Equal("nftables (native)", Enforcement.Describe(With("sshd"), Nftables));
        Assert.Equal("iptables-multiport -> nftables (native), sendmail-whois (command action)", Enforcement.Describe(With("sshd", "iptables-multiport", "sendmail-whois"), Nftables));
        Assert.Equal("iptables-multiport (command action)", Enforcement.Describe(With("sshd", "iptables-multiport"), Nftables with { NativeActions = false }));
    }

    [Fact]
    public void UsesNative_OnlyCommandActionsOrObserving_False()
    {
        Assert.False(Enforcement.UsesNative([With("mail", "sendmail-whois")], Nftables));
        Assert.False(Enforcement.UsesNative([Jail("sshd", [], [], d => d with { Policy = d.Policy with { Observe = true } })], Nftables));
        Assert.True(Enforcement.UsesNative([With("mail", "sendmail-whois"), With("sshd")], Nftables));
    }

    [Fact]
    public void Create_AllJailsNative_IsTheBackendItself()
    {
        var backend = new InMemoryFirewall();

        var enforcer = Enforcement.Create([With("sshd"), With("web", "nftables-multiport")], Nftables, () => new Enforcer(backend, null), NullLoggerFactory.Instance, TimeProvider.System);

        Assert.Same(backend, enforcer.Firewall);
    }

    [Fact]
    public void Create_OnlyCommandActions_NeverMakesTheBackend()
    {
        var enforcer = Enforcement.Create([With("mail", "sendmail-whois")], Nftables, () => throw new InvalidOperationException("the native backend is not needed"), NullLoggerFactory.Instance, TimeProvider.System);

        Assert.IsAssignableFrom<IFirewallMonitor>(enforcer.Firewall);
        Assert.NotNull(enforcer.Monitor);
    }

    [Fact]
    public async Task Create_NativeAndCommandJails_BansOfNativeJailsReachTheBackendOnly()
    {
        var backend = new InMemoryFirewall();
        var made = 0;
        var enforcer = Enforcement.Create(
            [With("sshd"), With("mail", "sendmail-whois"), Jail("quiet", [], [], d => d with { Policy = d.Policy with { Observe = true } })],
            Nftables,
            () =>
            {
                made++;
                return new Enforcer(backend, null);
            },
            NullLoggerFactory.Instance,
            TimeProvider.System);

        await enforcer.Firewall.BanAsync([TestBans.Of("sshd", "192.0.2.7", TimeSpan.FromHours(1)), TestBans.Of("quiet", "192.0.2.8", TimeSpan.FromHours(1))], CancellationToken.None);

        Assert.Equal(1, made);
        Assert.NotSame(backend, enforcer.Firewall);
        Assert.Equal([("sshd", "192.0.2.7")], backend.Bans.Select(b => (b.Jail, AddressParsing(b))));
    }

    [Fact]
    public async Task Create_AllportsAction_TheBackendSeesTheJailWithoutPorts()
    {
        var backend = new RecordingJails();
        var enforcer = Enforcement.Create([With("sshd", "iptables-allports"), With("web")], Nftables, () => new Enforcer(backend, null), NullLoggerFactory.Instance, TimeProvider.System);

        await enforcer.Firewall.ApplyStateAsync([FirewallJail.From(With("sshd").Definition.Policy), FirewallJail.From(With("web").Definition.Policy)], [], CancellationToken.None);

        Assert.Equal([("sshd", 0), ("web", 1)], backend.Jails.Select(j => (j.Name, j.Ports.Count)));
    }

    private static string AddressParsing(Ban ban) => Core.Addresses.AddressParsing.Format(ban.Target);

    private sealed class RecordingJails : IFirewall
    {
        public List<FirewallJail> Jails { get; } = [];

        public string Name => "recording";

        public bool ExpiresBans => true;

        public Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
        {
            Jails.AddRange(jails);
            return Task.CompletedTask;
        }

        public Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RemoveAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
