using Microsoft.Extensions.Logging;
using Warden.Core.Ports;
using Warden.Firewall.Iptables;
using Warden.Firewall.Nftables;
using Warden.Firewall.Pf;

namespace Warden.Cli.Hosting;

/// <summary>Firewall backends by registered name; an unknown name fails at start-up and in <c>warden check</c>.</summary>
internal static class Backends
{
    public static readonly string[] Names = ["nftables", "iptables", "pf"];

    /// <summary>The configured backend, wrapped in the forward guard when <c>forward_allow</c> names interfaces.</summary>
    public static Enforcer Create(WardenSettings settings, ILoggerFactory logs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logs);
        var blockType = settings.BlockType == "reject" ? BlockType.Reject : BlockType.Drop;
        var backend = settings.Firewall switch
        {
            "nftables" => Enforcer.Monitored(NftablesFirewall.Create(new NftablesOptions { BlockType = blockType }, time, logs.CreateLogger("Warden.Firewall.Nftables"))),
            "iptables" => Enforcer.Monitored(IptablesFirewall.Create(
                new IptablesOptions { BlockType = blockType, Iptables = settings.Iptables, Ip6tables = Ip6tables(settings) }, time, logs.CreateLogger("Warden.Firewall.Iptables"))),
            "pf" => Enforcer.Monitored(PfFirewall.Create(new PfOptions { BlockType = blockType }, time, logs.CreateLogger("Warden.Firewall.Pf"))),
            _ => throw new ArgumentException($"unknown firewall backend '{settings.Firewall}'", nameof(settings)),
        };
        return settings.Firewall == "pf" || settings.ForwardAllow.Count == 0
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
        var missing = settings.Firewall switch
        {
            "nftables" => NftablesFirewall.FindMissing(),
            "iptables" => MissingProgram(settings.Iptables, "iptables") ?? MissingProgram("ipset", "ipset"),
            "pf" => MissingProgram("pfctl", "pf (FreeBSD's base system)"),
            _ => null,
        };
        if (missing is null)
        {
            return null;
        }

        var alternative = settings.Firewall switch
        {
            "nftables" => "iptables",
            "iptables" => "nftables",
            _ => null,
        };
        var install = settings.Firewall == "pf" ? "pf is part of FreeBSD" : $"install it with `apt-get install {missing.Package}`";
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
