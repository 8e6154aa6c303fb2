using System.Text;
using Microsoft.Extensions.Logging;
using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>
/// The ipset + iptables backend, for hosts run with iptables tooling. Owns the ipsets named
/// <c>warden-*</c>, the chain <c>WARDEN</c> in the filter table of iptables and ip6tables, and one
/// jump to it at the top of INPUT and, when Docker's chains exist, of DOCKER-USER. It never
/// flushes or deletes anything else.
/// </summary>
/// <remarks>
/// Bans are ipset entries with a kernel timeout, batched through one <c>ipset restore</c> per
/// call. ipset cannot hold a timeout over 2,147,483 s (~24.8 days), so longer bans carry none and
/// <see cref="ExpiresBans"/> is false: the engine removes every ban at its expiry. Calls must
/// not overlap (as <see cref="IFirewall"/> says).
/// </remarks>
public sealed partial class IptablesFirewall : IFirewall, IFirewallMonitor, IFirewallDiagnostics
{
    private readonly IptablesOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CommandRunner _run;
    private readonly IpsetMirror _mirror = new();
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(400);

    // Replaced, never changed in place, so WhenChangedAsync may read it beside the engine's calls.
    private volatile Dictionary<string, JailIpsets> _jails = new(StringComparer.Ordinal);
    private volatile bool _applied;
    private bool _pollSawDrift;
    private string? _polledDrift;

    private IptablesFirewall(IptablesOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _log = logger;
        _run = new CommandRunner(Name, options.NetworkNamespace);
    }

    /// <inheritdoc />
    public string Name => "iptables";

    /// <inheritdoc />
    public bool ExpiresBans => false;

    /// <summary>Creates the backend; nothing is changed until the first call.</summary>
    public static IptablesFirewall Create(IptablesOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        return new IptablesFirewall(options, time, logger);
    }

    /// <inheritdoc />
    public async Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        var sets = new Dictionary<string, JailIpsets>(StringComparer.Ordinal);
        foreach (var jail in jails)
        {
            ChainRules.Validate(jail);
            sets[jail.Name] = JailIpsets.For(jail);
        }

        var now = _time.GetUtcNow();
        // The three listings are independent; side by side they cost one process start of latency.
        var listings = new[] { ListFilterAsync(false, cancellationToken), ListFilterAsync(true, cancellationToken) };
        var names = ListSetNamesAsync(cancellationToken);
        await Task.WhenAll(listings[0], listings[1], names);
        var existing = await names;
        var script = new StringBuilder();
        var mirror = new IpsetMirror();
        foreach (var stale in existing.Where(n => n.StartsWith(JailIpsets.Prefix, StringComparison.Ordinal) && n.EndsWith(JailIpsets.TemporarySuffix, StringComparison.Ordinal)))
        {
            script.Append("destroy ").Append(stale).Append('\n');
        }

        var byJail = bans.Where(b => b.IsActiveAt(now) && sets.ContainsKey(b.Jail)).ToLookup(b => (b.Jail, JailIpsets.IsV6(b.Target)));
        foreach (var jail in sets.Values)
        {
            foreach (var v6 in new[] { false, true })
            {
                // Fill a fresh set and swap it in: ipset swap is atomic and works while iptables references the set.
                var set = jail.For(v6);
                var temporary = set + JailIpsets.TemporarySuffix;
                if (!existing.Contains(set))
                {
                    script.Append(IpsetEntries.Create(set, v6, _options.MaxElements));
                }

                script.Append(IpsetEntries.Create(temporary, v6, _options.MaxElements));
                foreach (var ban in byJail[(jail.Jail.Name, v6)].DistinctBy(b => b.Target))
                {
                    IpsetEntries.AppendAdd(script, temporary, ban.Target, ban.RemainingAt(now));
                    mirror.Put(set, ban);
                }

                script.Append("swap ").Append(temporary).Append(' ').Append(set).Append('\n');
                script.Append("destroy ").Append(temporary).Append('\n');
            }
        }

        // Rules may only name sets that exist: when every set is already there (a repair), the
        // set swap and the chain rewrite are independent and run side by side.
        var ipset = _run.RunCheckedAsync(_options.Ipset, ["restore"], script.ToString(), cancellationToken);
        if (!sets.Values.All(s => existing.Contains(s.V4) && existing.Contains(s.V6)))
        {
            await ipset;
        }

        await Task.WhenAll(
            ipset,
            RestoreAsync(false, ChainScript.Apply(await listings[0], sets.Values, false, _options.BlockType), cancellationToken),
            RestoreAsync(true, ChainScript.Apply(await listings[1], sets.Values, true, _options.BlockType), cancellationToken));

        var wanted = sets.Values.SelectMany(s => new[] { s.V4, s.V6 }).ToHashSet(StringComparer.Ordinal);
        foreach (var obsolete in existing.Where(n => n.StartsWith(JailIpsets.Prefix, StringComparison.Ordinal) && !n.EndsWith(JailIpsets.TemporarySuffix, StringComparison.Ordinal) && !wanted.Contains(n)))
        {
            await _run.RunCheckedAsync(_options.Ipset, ["destroy", obsolete], null, cancellationToken);
        }

        _jails = sets;
        lock (_mirror)
        {
            _mirror.ReplaceWith(mirror);
        }

        _applied = true;
        Log.Applied(_log, sets.Count, mirror.Count);
    }

    /// <inheritdoc />
    public async Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        var now = _time.GetUtcNow();
        var script = new StringBuilder();
        foreach (var ban in bans)
        {
            var set = SetOf(ban);
            if (ban.IsActiveAt(now))
            {
                IpsetEntries.AppendAdd(script, set, ban.Target, ban.RemainingAt(now));
            }
            else
            {
                IpsetEntries.AppendDelete(script, set, ban.Target);
            }
        }

        await RunEntriesAsync(script, cancellationToken);
        lock (_mirror)
        {
            foreach (var ban in bans)
            {
                _mirror.Put(SetOf(ban), ban);
            }
        }
    }

    /// <inheritdoc />
    public async Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        var script = new StringBuilder();
        foreach (var ban in bans)
        {
            IpsetEntries.AppendDelete(script, SetOf(ban), ban.Target);
        }

        await RunEntriesAsync(script, cancellationToken);
        lock (_mirror)
        {
            foreach (var ban in bans)
            {
                _mirror.Remove(SetOf(ban), ban.Target);
            }
        }
    }

    /// <inheritdoc />
    public async Task RemoveAllAsync(CancellationToken cancellationToken)
    {
        foreach (var v6 in new[] { false, true })
        {
            var listing = await ListFilterAsync(v6, cancellationToken);
            if (ChainScript.Remove(listing) is { } script)
            {
                await RestoreAsync(v6, script, cancellationToken);
            }
        }

        foreach (var set in (await ListSetNamesAsync(cancellationToken)).Where(n => n.StartsWith(JailIpsets.Prefix, StringComparison.Ordinal)))
        {
            await _run.RunCheckedAsync(_options.Ipset, ["destroy", set], null, cancellationToken);
        }

        _jails = new Dictionary<string, JailIpsets>(StringComparer.Ordinal);
        lock (_mirror)
        {
            _mirror.ReplaceWith(new IpsetMirror());
        }

        _applied = false;
    }

    /// <inheritdoc />
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        // What the poll behind WhenChangedAsync just found needs no second listing.
        if (Interlocked.Exchange(ref _polledDrift, null) is { } polled)
        {
            return polled;
        }

        if (!_applied)
        {
            return null;
        }

        var v6 = ListFilterAsync(true, cancellationToken);
        var v4AndSets = ListV4AndSetsAsync(cancellationToken);
        await Task.WhenAll(v4AndSets, v6);
        return Drift(await v4AndSets, _jails) ?? (ChainScript.Drift(await v6, _jails.Values, true, _options.BlockType) is { } problem6 ? $"{_options.Ip6tables}: {problem6}" : null);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Lists the IPv4 filter table and the ipset headers (two processes) every 400 ms and
    /// completes when Warden's chain, a jump to it or a set's entries went missing: what a firewall
    /// reload, <c>iptables -F</c> or Docker recreating DOCKER-USER does. IPv6 is left to the
    /// tick's full check. Runs beside the other calls: it reads the jail map, which is replaced
    /// and never changed, and the mirror under its lock.
    /// </remarks>
    public async Task WhenChangedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(PollInterval, _time, cancellationToken);
            var jails = _jails;
            if (!_applied)
            {
                continue;
            }

            string? drift;
            try
            {
                drift = Drift(await ListV4AndSetsAsync(cancellationToken), jails);
            }
            catch (FirewallException)
            {
                // The tick's check reports what is broken.
                continue;
            }

            // Signal a drift once, not on every poll until the engine has repaired it.
            var signal = drift is not null && !_pollSawDrift;
            _pollSawDrift = drift is not null;
            if (signal)
            {
                _polledDrift = drift;
                return;
            }
        }
    }

    private async Task<(FilterListing Filter, Dictionary<string, int> Sets)> ListV4AndSetsAsync(CancellationToken cancellationToken)
    {
        var v4 = ListFilterAsync(false, cancellationToken);
        var sets = _run.RunCheckedAsync(_options.Ipset, ["list", "-t"], null, cancellationToken);
        await Task.WhenAll(v4, sets);
        return (await v4, IpsetHeaders.Parse((await sets).StdOut));
    }

    private string? Drift((FilterListing Filter, Dictionary<string, int> Sets) listed, Dictionary<string, JailIpsets> jails)
    {
        if (ChainScript.Drift(listed.Filter, jails.Values, false, _options.BlockType) is { } problem)
        {
            return $"{_options.Iptables}: {problem}";
        }

        lock (_mirror)
        {
            return _mirror.Drift(listed.Sets, jails.Values.SelectMany(j => new[] { j.V4, j.V6 }), _time.GetUtcNow());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        return IptablesDiagnostics.RunAsync(_run, _options, jails, bans, _time.GetUtcNow(), cancellationToken);
    }

    private string SetOf(Ban ban)
    {
        if (!_jails.TryGetValue(ban.Jail, out var sets))
        {
            throw new FirewallException(Name, $"ban {ban.Target}", $"jail {ban.Jail} has no ipsets (ApplyStateAsync has not created it)");
        }

        return sets.For(JailIpsets.IsV6(ban.Target));
    }

    private async Task RunEntriesAsync(StringBuilder script, CancellationToken cancellationToken)
    {
        if (script.Length > 0)
        {
            // -exist: adding a present entry updates its timeout, deleting a missing one is no error.
            await _run.RunCheckedAsync(_options.Ipset, ["-exist", "restore"], script.ToString(), cancellationToken);
        }
    }

    private async Task<HashSet<string>> ListSetNamesAsync(CancellationToken cancellationToken)
    {
        var result = await _run.RunCheckedAsync(_options.Ipset, ["list", "-n"], null, cancellationToken);
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<FilterListing> ListFilterAsync(bool v6, CancellationToken cancellationToken)
    {
        var result = await _run.RunCheckedAsync(v6 ? _options.Ip6tables : _options.Iptables, ["-w", "-t", "filter", "-S"], null, cancellationToken);
        return FilterListing.Parse(result.StdOut);
    }

    private Task<CommandResult> RestoreAsync(bool v6, string script, CancellationToken cancellationToken) =>
        _run.RunCheckedAsync((v6 ? _options.Ip6tables : _options.Iptables) + "-restore", ["-w", "--noflush"], script, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(4100, LogLevel.Information, "iptables: chain WARDEN and ipsets applied with {Jails} jails and {Bans} bans")]
        public static partial void Applied(ILogger logger, int jails, int bans);
    }
}
