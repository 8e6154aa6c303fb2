using Microsoft.Extensions.Time.Testing;
using Warden.Cli.Commands;
using Warden.Cli.Hosting;
using Warden.TestKit;

namespace Warden.Cli.Tests;

/// <summary>An unknown <c>firewall =</c>: one error at its line, reported as such, and check exits 1.</summary>
public sealed class UnknownFirewallTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-firewall");

    [Fact]
    public void Load_UnknownFirewall_OneErrorAtItsLineAndNoFirewallProblem()
    {
        var config = Load("[warden]\n\nfirewall = carrier-pigeon\n");

        var error = Assert.Single(config.Errors);
        Assert.Equal((_dir.File("etc/warden.conf"), 3), (error.File, error.Line));
        Assert.Equal("unknown firewall backend 'carrier-pigeon' (known: nftables, iptables, pf)", error.Message);
        Assert.Same(error, config.Settings.UnknownFirewall);
        // Not also "cannot work here": a backend that does not exist is not checked for what it lacks.
        Assert.Null(config.FirewallProblem);
    }

    [Fact]
    public void CheckReport_UnknownFirewall_SaysSoOnceAndExitsOne()
    {
        var config = Load("[warden]\nfirewall = carrier-pigeon\n");
        using var output = new StringWriter();

        var code = CheckCommand.Report(config, output);

        var text = output.ToString();
        Assert.Equal(1, code);
        Assert.Single(text.Split('\n'), l => l.Contains("carrier-pigeon", StringComparison.Ordinal));
        Assert.Contains($"error: {_dir.File("etc/warden.conf")}:2: unknown firewall backend 'carrier-pigeon'", text, StringComparison.Ordinal);
        Assert.Contains("firewall: unknown;", text, StringComparison.Ordinal);
        Assert.Contains("FAILED: 1 error(s)", text, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private WardenConfig Load(string conf)
    {
        _dir.Write("etc/warden.conf", conf);
        _dir.Write("etc/jail.local", $"[sshd]\nenabled = true\nfilter = fake\nlogpath = {_dir.Write("auth.log", string.Empty)}\n");
        _dir.Write("etc/filter.d/fake.conf", "[Definition]\nfailregex = ^fail <HOST>$\n");
        return WardenConfig.Load(new ConfigLocation(_dir.File("etc")), new FakeTimeProvider());
    }
}
