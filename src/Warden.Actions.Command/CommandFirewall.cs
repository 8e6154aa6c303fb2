using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Actions.Command;

/// <summary>
/// One action.d command action of one jail as an <see cref="IFirewall"/>: actionstart (at the
/// first apply, or per family on demand), actioncheck before each ban with actionrepair (or a
/// restart) when it fails, actionban, actionunban, actionflush. One process per command, as in
/// fail2ban; ban values reach the shell only through environment variables (<see cref="ShellTemplate"/>).
/// </summary>
/// <remarks>
/// Commands have no kernel timeout, so the engine unbans at expiry (<see cref="ExpiresBans"/> is
/// false). Bans stay in place when Warden stops; the first apply after a start runs actionflush
/// (where the action has one) to drop what a previous run left, then bans what is stored.
/// Calls come from one engine loop at a time (<see cref="IFirewall"/>); not thread-safe.
/// </remarks>
public sealed partial class CommandFirewall : IFirewall
{
    private readonly CommandActionSpec _spec;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Dictionary<IPNetwork, Ban> _held = [];
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);
    private bool _applied;

    /// <summary>Creates the action; nothing runs until the engine applies its state.</summary>
    public CommandFirewall(CommandActionSpec spec, TimeProvider time, ILogger logger)
    {
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public string Name => $"action {_spec.Name} [{_spec.Jail}]";

    /// <inheritdoc />
    public bool ExpiresBans => false;

    /// <inheritdoc />
    public async Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        if (!_applied)
        {
            if (!_spec.StartOnDemand)
            {
                foreach (var family in Families())
                {
                    await StartAsync(family, cancellationToken);
                }
            }

            // Drop what a previous run left behind; the stored bans follow.
            foreach (var family in _started.ToList())
            {
                await RunAsync("actionflush", Commands(family).Flush, null, false, cancellationToken, mustSucceed: false);
            }

            _applied = true;
        }

        var desired = bans.Where(b => b.Jail == _spec.Jail).ToDictionary(b => b.Target);
        var failures = new List<FirewallException>();
        foreach (var (target, held) in _held.ToList())
        {
            if (!desired.ContainsKey(target))
            {
                await Collect(failures, () => UnbanOneAsync(held, cancellationToken));
            }
        }

        foreach (var ban in desired.Values)
        {
            if (!_held.ContainsKey(ban.Target))
            {
                await Collect(failures, () => BanOneAsync(ban, restored: true, cancellationToken));
            }
        }

        ThrowFirst(failures);
    }

    /// <inheritdoc />
    public async Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        var failures = new List<FirewallException>();
        foreach (var ban in bans)
        {
            if (ban.Jail != _spec.Jail)
            {
                continue;
            }

            if (_held.ContainsKey(ban.Target))
            {
                // Re-running actionban would add a second rule; the ban's new expiry is the engine's business.
                _held[ban.Target] = ban;
                continue;
            }

            await Collect(failures, () => BanOneAsync(ban, restored: false, cancellationToken));
        }

        ThrowFirst(failures);
    }

    /// <inheritdoc />
    public async Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        var failures = new List<FirewallException>();
        foreach (var ban in bans)
        {
            if (ban.Jail == _spec.Jail && _held.TryGetValue(ban.Target, out var held))
            {
                await Collect(failures, () => UnbanOneAsync(held, cancellationToken));
            }
        }

        ThrowFirst(failures);
    }

    /// <inheritdoc />
    public async Task RemoveAllAsync(CancellationToken cancellationToken)
    {
        foreach (var family in _started.ToList())
        {
            if (Commands(family).Flush is not null)
            {
                await RunAsync("actionflush", Commands(family).Flush, null, false, cancellationToken);
                foreach (var ban in _held.Values.Where(b => Key(b) == family).ToList())
                {
                    _held.Remove(ban.Target);
                }
            }
        }

        foreach (var ban in _held.Values.ToList())
        {
            await UnbanOneAsync(ban, cancellationToken);
        }

        foreach (var family in _started.ToList())
        {
            await RunAsync("actionstop", Commands(family).Stop, null, false, cancellationToken);
            _started.Remove(family);
        }
    }

    private async Task BanOneAsync(Ban ban, bool restored, CancellationToken cancellationToken)
    {
        var family = Key(ban);
        if (!_started.Contains(family))
        {
            await StartAsync(family, cancellationToken);
        }

        if (!(restored && _spec.NoRestored))
        {
            await CheckAsync(family, cancellationToken);
            await RunAsync("actionban", Commands(family).Ban, ban, restored, cancellationToken);
        }

        _held[ban.Target] = ban;
    }

    private async Task UnbanOneAsync(Ban ban, CancellationToken cancellationToken)
    {
        await RunAsync("actionunban", Commands(Key(ban)).Unban, ban, false, cancellationToken);
        _held.Remove(ban.Target);
    }

    private async Task StartAsync(string family, CancellationToken cancellationToken)
    {
        await RunAsync("actionstart", Commands(family).Start, null, false, cancellationToken);
        _started.Add(family);
    }

    /// <summary>fail2ban's invariant check (action.py _invariantCheck): actioncheck, and on failure actionrepair or stop + start.</summary>
    private async Task CheckAsync(string family, CancellationToken cancellationToken)
    {
        if (Commands(family).Check is not { } check || await RunAsync("actioncheck", check, null, false, cancellationToken, mustSucceed: false))
        {
            return;
        }

        Log.Repairing(_log, Name);
        if (Commands(family).Repair is { } repair)
        {
            await RunAsync("actionrepair", repair, null, false, cancellationToken);
        }
        else
        {
            await RunAsync("actionstop", Commands(family).Stop, null, false, cancellationToken, mustSucceed: false);
            await RunAsync("actionstart", Commands(family).Start, null, false, cancellationToken);
        }

        await RunAsync("actioncheck", check, null, false, cancellationToken);
    }

    /// <returns>True when the command succeeded (or there was none).</returns>
    private async Task<bool> RunAsync(string operation, string? command, Ban? ban, bool restored, CancellationToken cancellationToken, bool mustSucceed = true)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return true;
        }

        var values = ban is null ? (_ => null) : BanTags.For(ban, _time.GetUtcNow(), restored);
        var (script, environment) = ShellTemplate.Render(command, values);
        var (exitCode, output) = await ShellRunner.RunAsync(Name, script, environment, _spec.Timeout, cancellationToken);
        if (exitCode == 0)
        {
            return true;
        }

        if (!mustSucceed)
        {
            Log.CommandFailedQuietly(_log, Name, operation, exitCode);
            return false;
        }

        throw new FirewallException(Name, $"{operation}: {script}", output.Length > 0 ? output : $"{operation} failed", exitCode);
    }

    private CommandSet Commands(string family) => family == "inet6" ? _spec.IPv6 : _spec.IPv4;

    // With no conditional sections both families share one start (fail2ban's family '').
    private string Key(Ban ban) => _spec.SameForBothFamilies ? "inet4" : BanTags.Family(ban);

    private string[] Families() => _spec.SameForBothFamilies ? ["inet4"] : ["inet4", "inet6"];

    private static async Task Collect(List<FirewallException> failures, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (FirewallException ex)
        {
            failures.Add(ex);
        }
    }

    private static void ThrowFirst(List<FirewallException> failures)
    {
        if (failures.Count > 0)
        {
            throw failures[0];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(5000, LogLevel.Error, "{Action}: actioncheck failed; repairing")]
        public static partial void Repairing(ILogger logger, string action);

        [LoggerMessage(5001, LogLevel.Debug, "{Action}: {Operation} exited {ExitCode}")]
        public static partial void CommandFailedQuietly(ILogger logger, string action, string operation, int exitCode);
    }
}
