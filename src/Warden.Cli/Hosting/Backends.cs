using Microsoft.Extensions.Logging;
using Warden.Core.Ports;
using Warden.Firewall.Iptables;
using Warden.Firewall.Nftables;
using Warden.Firewall.Pf;

namespace Warden.Cli.Hosting;

/// <summary>The firewall backends of <see cref="FirewallKind"/>; an unknown name fails where warden.conf is read.</summary>
internal static class Backends
{
    /// <summary>The configured backend, wrapped in the forward guard when <c>forward_allow</c> names interfaces.</summary>
    public static Enforcer Create(WardenSettings settings, ILoggerFactory logs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logs);
        var blockType = settings.BlockType;
        var backend = settings.Firewall == FirewallKind.Pf
            ? Enforcer.Monitored(PfFirewall.Create(new PfOptions { BlockType = blockType }, time, logs.CreateLogger("Warden.Firewall.Pf")))
            : settings.Firewall == FirewallKind.Iptables
                ? Enforcer.Monitored(IptablesFirewall.Create(
                    new IptablesOptions { BlockType = blockType, Iptables = settings.Iptables, Ip6tables = Ip6tables(settings) }, time, logs.CreateLogger("Warden.Firewall.Iptables")))
                : Enforcer.Monitored(NftablesFirewall.Create(new NftablesOptions { BlockType = blockType }, time, logs.CreateLogger("Warden.Firewall.Nftables")));
        return settings.Firewall == FirewallKind.Pf || settings.ForwardAllow.Count == 0
            ? backend
            : Enforcer.Monitored(ForwardGuard.Create(backend.Firewall, backend.Monitor, GuardOptions(settings), logs.CreateLogger("Warden.Firewall.ForwardGuard")));
    }

    /// <summary>
    /// One line saying why the configured backend cannot work on this host (what is missing, the
    /// package, the other <c>firewall =</c>), or <c>null</c> when it can. What <c>run</c> exits
    /// with before it starts, and what <c>check</c> and <c>doctor</c> report.
    /// </summary>
    public static string? Unusable(WardenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var missing = settings.Firewall == FirewallKind.Pf ? MissingProgram("pfctl", "pf (FreeBSD's base system)")
            : settings.Firewall == FirewallKind.Iptables ? MissingProgram(settings.Iptables, "iptables") ?? MissingProgram("ipset", "ipset")
            : NftablesFirewall.FindMissing();
        if (missing is null)
        {
            return null;
        }

        var alternative = settings.Firewall == FirewallKind.Nftables ? FirewallKind.Iptables
            : settings.Firewall == FirewallKind.Iptables ? FirewallKind.Nftables
            : null;
        var install = settings.Firewall == FirewallKind.Pf ? "pf is part of FreeBSD" : $"install it with `apt-get install {missing.Package}`";
        var other = alternative is null ? "" : $", or set firewall = {alternative} in {WardenSettingsReader.FileName}";
        return $"firewall {settings.Firewall} cannot work here: {missing.What}; {install}{other}";
    }

    // Programs are looked up as execvp(3) would, plus the sbin directories a daemon's PATH may lack.
    private static MissingPrerequisite? MissingProgram(string program, string package)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? null : new MissingPrerequisite($"{program} does not exist", package);
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, program)))
            ? null
            : new MissingPrerequisite($"the program {program} is not installed", package);
    }

    /// <summary>The forward guard's settings, also what <c>warden doctor</c> checks forwarding against.</summary>
    public static ForwardGuardOptions GuardOptions(WardenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ForwardGuardOptions { Interfaces = settings.ForwardAllow, Iptables = settings.Iptables, Ip6tables = Ip6tables(settings) };
    }

    private static string Ip6tables(WardenSettings settings) => settings.Iptables.Replace("iptables", "ip6tables", StringComparison.Ordinal);
}
