using Microsoft.Extensions.Time.Testing;
using Warden.Cli.Hosting;
using Warden.Core.Addresses;
using Warden.Core.Jails;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Actions;
using Warden.Fail2Ban.Jails;
using Warden.TestKit;

namespace Warden.Cli.Tests;

/// <summary>Loaded jails as the configuration would give them, for the wiring tests (Enforcement, LogSources).</summary>
internal static class WiredJails
{
    private static readonly ConfigPlace Place = new("/etc/warden/jail.local", 1);

    /// <summary>A jail with these action.d actions (file names), none when empty.</summary>
    public static LoadedJail With(string name, params string[] actions) => Jail(name, [], actions);

    /// <summary>A jail reading these log paths, with no action.</summary>
    public static LoadedJail Reading(string name, params string[] logPaths) => Jail(name, logPaths, []);

    /// <summary>An action.d action named by its file, with these options.</summary>
    public static ActionDefinition Action(string file, params (string Key, string Value)[] properties) =>
        new(file, file, properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    public static LoadedJail Jail(string name, IReadOnlyList<string> logPaths, IReadOnlyList<string> actions, Func<JailDefinition, JailDefinition>? change = null)
    {
        var policy = new JailPolicy(name, 3, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), AddressSet.Empty) { Ports = [new PortRange(22, 22)] };
        var definition = new JailDefinition(policy, "fake", Place, logPaths, Place, LogSourceKind.Auto)
        {
            ActionDefinitions = [.. actions.Select(a => Action(a, ("actionban", $"{a} ban <ip>")))],
        };
        return new LoadedJail(change is null ? definition : change(definition), _ => new FakeLineFilter(new FakeTimeProvider()));
    }
}
