using Microsoft.Extensions.Logging;
using Warden.Actions.Command;
using Warden.Core.Ports;
using Warden.Fail2Ban.Actions;

namespace Warden.Cli.Hosting;

/// <summary>
/// Chooses who enforces each jail's bans: jails whose action.d action Warden implements natively
/// (the nftables actions when the backend is nftables, the iptables-ipset actions when it is
/// iptables) and jails without any action go to the native backend; every other action.d action
/// runs as a command action. Several actions of one jail all receive its bans, as in fail2ban.
/// </summary>
internal static class Enforcement
{
    // action.d files that only keep a set of addresses and a rule matching them, for the jail's ports
    // or all ports: exactly what a native backend does, without a process per ban, with restore in
    // one transaction, drift repair, and (unlike iptables-multiport in INPUT) Docker-published ports
    // covered. Linux actions go to the Linux backend configured; pf's to pf.
    private static readonly Dictionary<string, string> NativeActionFamilies = new(StringComparer.Ordinal)
    {
        ["nftables"] = "linux",
        ["nftables-multiport"] = "linux",
        ["nftables-allports"] = "linux",
        ["iptables"] = "linux",
        ["iptables-multiport"] = "linux",
        ["iptables-allports"] = "linux",
        ["iptables-ipset"] = "linux",
        ["iptables-ipset-proto4"] = "linux",
        ["iptables-ipset-proto6"] = "linux",
        ["iptables-ipset-proto6-allports"] = "linux",
        ["pf"] = "pf",
    };

    /// <summary>True when <paramref name="action"/> is enforced by the configured native backend.</summary>
    public static bool IsNative(ActionDefinition action, WardenSettings settings) =>
        settings.NativeActions
        && NativeActionFamilies.TryGetValue(action.File, out var family)
        && settings.UnknownFirewall is null
        && family == (settings.Firewall == FirewallKind.Pf ? "pf" : "linux");

    /// <summary>True when some jail's bans go to the native backend (so it must be able to work).</summary>
    public static bool UsesNative(IEnumerable<LoadedJail> jails, WardenSettings settings) =>
        jails.Any(j => !j.Definition.Policy.Observe && (j.Definition.ActionDefinitions.Count == 0 || j.Definition.ActionDefinitions.Any(a => IsNative(a, settings))));

    /// <summary>How <c>warden check</c> describes a jail's enforcement.</summary>
    public static string Describe(LoadedJail jail, WardenSettings settings) =>
        jail.Definition.Policy.Observe ? (settings.Shadow ? "nothing: shadow mode, bans are recorded as \"would ban\"" : "nothing: the jail observes (observe = true), bans are recorded as \"would ban\"")
        : jail.Definition.ActionDefinitions.Count == 0
            ? $"{settings.FirewallName} (native)"
            : string.Join(", ", jail.Definition.ActionDefinitions.Select(a => IsNative(a, settings) ? $"{a.File} -> {settings.FirewallName} (native)" : $"{a.File} (command action)"));

    /// <summary>
    /// The firewall the engine drives: the native backend, command actions, or a router over
    /// both. The native backend comes from <paramref name="native"/>, called only when some jail uses it.
    /// </summary>
    public static Enforcer Create(IReadOnlyList<LoadedJail> jails, WardenSettings settings, Func<Enforcer> native, ILoggerFactory logs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(native);
        var routes = new List<FirewallRoute>();
        var nativeJails = new List<string>();
        var allPorts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var jail in jails)
        {
            var definition = jail.Definition;
            if (definition.Policy.Observe)
            {
                // Its bans never reach a firewall (the engine does not send them either).
                continue;
            }

            if (definition.ActionDefinitions.Count == 0)
            {
                nativeJails.Add(definition.Name);
            }

            foreach (var action in definition.ActionDefinitions)
            {
                if (IsNative(action, settings))
                {
                    nativeJails.Add(definition.Name);
                    if (action.File.EndsWith("allports", StringComparison.Ordinal) || action.Properties.GetValueOrDefault("type") == "allports")
                    {
                        allPorts.Add(definition.Name);
                    }
                }
                else
                {
                    var spec = CommandSpecs.From(action, definition.Name);
                    routes.Add(new FirewallRoute(new CommandFirewall(spec, time, logs.CreateLogger("Warden.Actions")), [definition.Name]));
                }
            }
        }

        Enforcer? backend = null;
        if (nativeJails.Count > 0)
        {
            backend = native();
            routes.Insert(0, new FirewallRoute(backend.Firewall, nativeJails.Distinct().ToList(), j => allPorts.Contains(j.Name) ? j with { Ports = [] } : j) { Monitor = backend.Monitor });
        }

        if (routes.Count == 1 && allPorts.Count == 0 && nativeJails.Count == jails.Count && backend is not null)
        {
            return backend;
        }

        return routes.Count == 0 ? new Enforcer(new ObservingOnly(), null) : Enforcer.Monitored(new FirewallRouter(routes));
    }

    /// <summary>
    /// The firewall of a daemon whose jails all observe (<c>[warden] mode = shadow</c>): it holds
    /// nothing and changes nothing, so Warden runs beside the tool that guards the host.
    /// </summary>
    private sealed class ObservingOnly : IFirewall
    {
        public string Name => "none (shadow: every jail observes)";

        public bool ExpiresBans => true;

        public Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Core.Bans.Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task BanAsync(IReadOnlyList<Core.Bans.Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task UnbanAsync(IReadOnlyList<Core.Bans.Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RemoveAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
