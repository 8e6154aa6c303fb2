using Warden.Actions.Command;
using Warden.Fail2Ban.Actions;
using Warden.Fail2Ban.Jails;

namespace Warden.Cli.Hosting;

/// <summary>Turns an action read from action.d into the command action's spec, one command set per family.</summary>
internal static class CommandSpecs
{
    public static CommandActionSpec From(ActionDefinition action, string jail)
    {
        ArgumentNullException.ThrowIfNull(action);
        var timeout = Duration.TryParse(action.Timeout, out var parsed, out _) && parsed > TimeSpan.Zero ? parsed : TimeSpan.FromSeconds(60);
        return new CommandActionSpec(action.Name, jail, For(action, "inet4"), For(action, "inet6"))
        {
            Timeout = timeout,
            StartOnDemand = action.StartOnDemand,
            NoRestored = action.NoRestored,
        };
    }

    /// <summary>True when some command of the action uses the ban's log lines.</summary>
    public static bool UsesMatches(ActionDefinition action) =>
        ActionDefinition.Operations.Any(op => action.Properties.GetValueOrDefault(op) is { } command
            && (command.Contains("matches>", StringComparison.Ordinal) || command.Contains("<F-", StringComparison.Ordinal)));

    private static CommandSet For(ActionDefinition action, string family) => new(
        action.Command("actionstart", family),
        action.Command("actionstop", family),
        action.Command("actioncheck", family),
        action.Command("actionban", family),
        action.Command("actionunban", family),
        action.Command("actionflush", family),
        action.Command("actionrepair", family));
}
