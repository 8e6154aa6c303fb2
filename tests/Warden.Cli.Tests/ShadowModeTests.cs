using Microsoft.Extensions.Time.Testing;
using Warden.Cli.Hosting;
using Warden.TestKit;

namespace Warden.Cli.Tests;

/// <summary>
/// <c>[warden] mode = shadow</c> and per-jail <c>observe = true</c> as the configuration reads
/// them: which jails observe, that no firewall is needed or built for them, and bad values named
/// with file and line.
/// </summary>
public sealed class ShadowModeTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-shadow");

    [Fact]
    public void Load_ShadowMode_EveryJailObservesAndNoFirewallIsNeeded()
    {
        var config = Load("[warden]\nfirewall = nftables\nmode = shadow\n", Jails);

        Assert.Empty(config.Errors);
        Assert.True(config.Settings.Shadow);
        Assert.All(config.Jails, j => Assert.True(j.Definition.Policy.Observe));
        Assert.False(Enforcement.UsesNative(config.Jails, config.Settings));
        Assert.Null(config.FirewallProblem);
        Assert.All(config.Jails, j => Assert.StartsWith("nothing: shadow mode", Enforcement.Describe(j, config.Settings), StringComparison.Ordinal));
        var enforcer = Enforcement.Create(config.Jails, config.Settings, () => throw new InvalidOperationException("no backend in shadow mode"), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        Assert.StartsWith("none (shadow", enforcer.Firewall.Name, StringComparison.Ordinal);
        Assert.Null(enforcer.Monitor);
    }

    [Fact]
    public void Load_OneJailObserves_OnlyItIsLeftOutOfTheFirewall()
    {
        var config = Load("[warden]\nfirewall = nftables\n", Jails.Replace("[web]\nenabled = true\n", "[web]\nenabled = true\nobserve = true\n", StringComparison.Ordinal));

        Assert.Empty(config.Errors);
        Assert.Equal([("sshd", false), ("web", true)], config.Jails.Select(j => (j.Definition.Name, j.Definition.Policy.Observe)).OrderBy(j => j.Name));
        Assert.True(Enforcement.UsesNative(config.Jails, config.Settings));
        Assert.Contains("observe = true", Enforcement.Describe(config.Jails.Single(j => j.Definition.Name == "web"), config.Settings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[warden]\nmode = dry\n", "warden.conf", 2, "mode must be enforce or shadow, not 'dry'")]
    public void Load_BadMode_ErrorNamesFileAndLine(string conf, string file, int line, string message)
    {
        var config = Load(conf, Jails);

        var error = Assert.Single(config.Errors);
        Assert.EndsWith(file, error.File, StringComparison.Ordinal);
        Assert.Equal((line, message), (error.Line, error.Message));
    }

    [Fact]
    public void Load_BadObserveValue_ErrorNamesTheJailFileAndLine()
    {
        var config = Load("[warden]\n", Jails.Replace("[web]\nenabled = true\n", "[web]\nenabled = true\nobserve = maybe\n", StringComparison.Ordinal));

        var error = Assert.Single(config.Errors);
        Assert.EndsWith("jail.local", error.File, StringComparison.Ordinal);
        Assert.Contains("observe must be true or false, not 'maybe'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private string Jails => $"""
        [DEFAULT]
        logpath = {_dir.Write("auth.log", string.Empty)}
        filter = fake

        [sshd]
        enabled = true

        [web]
        enabled = true
        """ + "\n";

    private WardenConfig Load(string conf, string jails)
    {
        _dir.Write("etc/warden.conf", conf);
        _dir.Write("etc/jail.local", jails);
        _dir.Write("etc/filter.d/fake.conf", "[Definition]\nfailregex = ^fail <HOST>$\n");
        return WardenConfig.Load(new ConfigLocation(_dir.File("etc")), new FakeTimeProvider());
    }
}
