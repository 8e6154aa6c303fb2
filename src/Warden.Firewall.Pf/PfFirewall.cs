using System.Text;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Pf;

/// <summary>
/// The pf backend (FreeBSD, OpenBSD): one table per jail and one block rule per jail, all inside
/// Warden's own anchor (<c>pfctl -a warden</c>), which is the only thing it loads, fills or
/// flushes. pf tables have no per-entry timeout, so <see cref="ExpiresBans"/> is false and the
/// engine unbans at expiry. Calls must not overlap (as <see cref="IFirewall"/> says).
/// </summary>
public sealed partial class PfFirewall : IFirewall, IFirewallMonitor, IFirewallDiagnostics
{
    private readonly PfOptions _options;
    private readonly IPfctl _pfctl;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private Dictionary<string, FirewallJail> _jails = new(StringComparer.Ordinal);
    private bool _applied;

    internal PfFirewall(PfOptions options, IPfctl pfctl, TimeProvider time, ILogger logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _pfctl = pfctl;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public string Name => "pf";

    /// <inheritdoc />
    public bool ExpiresBans => false;

    /// <summary>Creates the backend; nothing is changed until the first call.</summary>
    public static PfFirewall Create(PfOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PfFirewall(options, new PfctlProcess(options.Pfctl), time, logger);
    }

    /// <inheritdoc />
    public async Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        var rules = PfRules.Build(jails, _options.BlockType);
        await RunAsync(["-a", _options.Anchor, "-f", "-"], rules, cancellationToken);

        // -T replace swaps a table's whole content in one ioctl, so there is no moment without the bans.
        var now = _time.GetUtcNow();
        var byJail = bans.Where(b => b.IsActiveAt(now)).ToLookup(b => b.Jail, StringComparer.Ordinal);
        foreach (var jail in jails)
        {
            await RunAsync(TableCommand(jail.Name, "replace"), Lines(byJail[jail.Name]), cancellationToken);
        }

        var wanted = jails.Select(j => PfRules.TableName(j.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var table in await ListTablesAsync(cancellationToken))
        {
            if (!wanted.Contains(table))
            {
                await RunAsync(["-a", _options.Anchor, "-t", table, "-T", "kill"], null, cancellationToken);
            }
        }

        _jails = jails.ToDictionary(j => j.Name, StringComparer.Ordinal);
        _applied = true;
        Log.Applied(_log, jails.Count, bans.Count);
    }

    /// <inheritdoc />
    public async Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        foreach (var group in bans.GroupBy(b => b.Jail, StringComparer.Ordinal))
        {
            await RunAsync(TableCommand(Known(group.Key), "add"), Lines(group), cancellationToken);
        }

        // A table entry blocks new packets only after pf's state lookup; kill the attacker's states
        // so an open connection ends too (pfctl(8), -k). -k kills states host-wide, not per anchor.
        var killed = 0;
        foreach (var target in bans.Select(b => b.Target).Distinct())
        {
            if (++killed > _options.MaxStateKillsPerCall)
            {
                Log.KillsCapped(_log, _options.MaxStateKillsPerCall);
                break;
            }

            await RunAsync(["-k", AddressParsing.Format(target)], null, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        foreach (var group in bans.GroupBy(b => b.Jail, StringComparer.Ordinal))
        {
            // pfctl -T delete of an address the table lacks is not an error.
            await RunAsync(TableCommand(Known(group.Key), "delete"), Lines(group), cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task RemoveAllAsync(CancellationToken cancellationToken)
    {
        // Never "-F all": with states and source nodes it would flush the whole host's, not the anchor's.
        await RunAsync(["-a", _options.Anchor, "-F", "rules"], null, cancellationToken);
        await RunAsync(["-a", _options.Anchor, "-F", "Tables"], null, cancellationToken);
        _jails = new Dictionary<string, FirewallJail>(StringComparer.Ordinal);
        _applied = false;
    }

    /// <inheritdoc />
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (!_applied)
        {
            return null;
        }

        var rules = (await RunAsync(["-a", _options.Anchor, "-s", "rules"], null, cancellationToken)).StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("block", StringComparison.Ordinal));
        if (rules != _jails.Count)
        {
            return $"anchor {_options.Anchor} holds {rules} block rules, expected {_jails.Count}";
        }

        var tables = await ListTablesAsync(cancellationToken);
        var missing = _jails.Keys.Select(PfRules.TableName).FirstOrDefault(t => !tables.Contains(t));
        return missing is null ? null : $"table <{missing}> is missing from anchor {_options.Anchor}";
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        return PfDiagnostics.RunAsync(_pfctl, _options, jails, bans, _time.GetUtcNow(), cancellationToken);
    }

    private string Known(string jail) =>
        _jails.ContainsKey(jail) ? jail : throw new FirewallException(Name, $"jail {jail}", $"jail {jail} has no table (ApplyStateAsync has not created it)");

    private string[] TableCommand(string jail, string verb) =>
        ["-a", _options.Anchor, "-t", PfRules.TableName(jail), "-T", verb, "-f", "-"];

    private static string Lines(IEnumerable<Ban> bans)
    {
        var text = new StringBuilder();
        foreach (var target in bans.Select(b => b.Target).Distinct())
        {
            text.Append(AddressParsing.Format(target)).Append('\n');
        }

        return text.ToString();
    }

    private async Task<HashSet<string>> ListTablesAsync(CancellationToken cancellationToken)
    {
        var output = (await RunAsync(["-a", _options.Anchor, "-s", "Tables"], null, cancellationToken)).StdOut;
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<PfctlResult> RunAsync(string[] args, string? stdin, CancellationToken cancellationToken)
    {
        var result = await _pfctl.RunAsync(args, stdin, cancellationToken);
        if (result.ExitCode != 0)
        {
            var command = "pfctl " + string.Join(' ', args) + (stdin is null ? string.Empty : $" <<EOF\n{stdin}EOF");
            throw new FirewallException(Name, command, result.StdErr.Trim(), result.ExitCode);
        }

        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(4200, LogLevel.Information, "pf: anchor applied with {Jails} jails and {Bans} bans")]
        public static partial void Applied(ILogger logger, int jails, int bans);

        [LoggerMessage(4201, LogLevel.Warning, "pf: states of only the first {Count} banned sources of this batch were killed; the others end when their states time out")]
        public static partial void KillsCapped(ILogger logger, int count);
    }
}
