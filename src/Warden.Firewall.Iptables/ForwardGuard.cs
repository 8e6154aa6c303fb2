using Microsoft.Extensions.Logging;
using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>
/// Keeps forwarding through the configured interfaces (VM bridges) working on a host where
/// Docker sets FORWARD's policy to DROP: owns the chain <c>WARDEN-FORWARD</c> (accepts for
/// those interfaces) and one jump to it in DOCKER-USER, or in FORWARD without Docker. Wraps the
/// ban backend (any of them) so the engine's whole-state apply and drift check cover the guard
/// too: when Docker deletes and recreates its chains, the next check sees the jump missing and
/// the apply puts it back.
/// </summary>
public sealed partial class ForwardGuard : IFirewall, IFirewallMonitor, IFirewallDiagnostics, IFirewallReadBack, IDisposable
{
    private readonly IFirewall _inner;
    private readonly IFirewallMonitor? _innerMonitor;
    private readonly ForwardGuardOptions _options;
    private readonly CommandRunner _run;
    private readonly ILogger _log;
    private volatile bool _applied;
    private bool _pollSawDrift;

    private ForwardGuard(IFirewall inner, IFirewallMonitor? innerMonitor, ForwardGuardOptions options, ILogger logger)
    {
        _inner = inner;
        _innerMonitor = innerMonitor;
        _options = options;
        _log = logger;
        _run = new CommandRunner("forward-guard", options.NetworkNamespace);
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public bool ExpiresBans => _inner.ExpiresBans;

    /// <summary>Wraps <paramref name="inner"/>, whose drift check is <paramref name="innerMonitor"/> (<c>null</c> for none).</summary>
    /// <exception cref="ArgumentException">No interface, or one that is not an interface name.</exception>
    public static ForwardGuard Create(IFirewall inner, IFirewallMonitor? innerMonitor, ForwardGuardOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        foreach (var name in options.Interfaces)
        {
            // Linux interface names: at most 15 characters, no whitespace or '/' (IFNAMSIZ, dev_valid_name).
            if (name.Length is 0 or > 15 || name.Any(c => char.IsWhiteSpace(c) || c is '/' or ':'))
            {
                throw new ArgumentException($"forward_allow: '{name}' is not an interface name", nameof(options));
            }
        }

        if (options.Interfaces.Count == 0)
        {
            throw new ArgumentException("forward_allow names no interface: nothing to guard", nameof(options));
        }

        return new ForwardGuard(inner, innerMonitor, options, logger);
    }

    /// <inheritdoc />
    public async Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        await _inner.ApplyStateAsync(jails, bans, cancellationToken);
        await Task.WhenAll(ApplyGuardAsync(false, cancellationToken), ApplyGuardAsync(true, cancellationToken));

        _applied = true;
        Log.Guarded(_log, string.Join(' ', _options.Interfaces));
    }

    /// <inheritdoc />
    public Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => _inner.BanAsync(bans, cancellationToken);

    /// <inheritdoc />
    public Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => _inner.UnbanAsync(bans, cancellationToken);

    /// <inheritdoc />
    public async Task RemoveAllAsync(CancellationToken cancellationToken)
    {
        await _inner.RemoveAllAsync(cancellationToken);
        foreach (var v6 in new[] { false, true })
        {
            if (GuardScript.Remove(await ListAsync(v6, cancellationToken)) is { } script)
            {
                await _run.RunCheckedAsync(Tool(v6) + "-restore", ["-w", "--noflush"], script, cancellationToken);
            }
        }

        _applied = false;
    }

    /// <inheritdoc />
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (_innerMonitor is { } monitor && await monitor.CheckAsync(cancellationToken) is { } drift)
        {
            return drift;
        }

        if (!_applied)
        {
            return null;
        }

        var v4 = ListAsync(false, cancellationToken);
        var v6 = ListAsync(true, cancellationToken);
        await Task.WhenAll(v4, v6);
        return GuardScript.Drift(await v4, _options.Interfaces) is { } problem4 ? $"forward guard ({_options.Iptables}): {problem4}"
            : GuardScript.Drift(await v6, _options.Interfaces) is { } problem6 ? $"forward guard ({_options.Ip6tables}): {problem6}"
            : null;
    }

    /// <inheritdoc />
    /// <remarks>Completes when the wrapped backend signals, or when a poll of the IPv4 filter table every 400 ms sees the guard's chain or jump gone (Docker recreating its chains).</remarks>
    public async Task WhenChangedAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inner = _innerMonitor is { } monitor ? monitor.WhenChangedAsync(either.Token) : Task.Delay(Timeout.Infinite, either.Token);
        var own = PollAsync(either.Token);
        var first = await Task.WhenAny(inner, own);
        await either.CancelAsync();
        try
        {
            await (first == inner ? own : inner);
        }
        catch (OperationCanceledException)
        {
            // The other one answered first.
        }

        await first;
    }

    /// <summary>The wrapped backend's findings; the guard's own are <see cref="HostForwardingDoctor"/>'s.</summary>
    public Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken) =>
        _inner is IFirewallDiagnostics diagnostics ? diagnostics.DiagnoseAsync(jails, bans, cancellationToken) : Task.FromResult<IReadOnlyList<DoctorFinding>>([]);

    /// <summary>The wrapped backend's bans, when it can list them; the guard itself holds none.</summary>
    public Task<IReadOnlyList<Ban>> ReadBansAsync(IReadOnlyList<FirewallJail> jails, DateTimeOffset now, CancellationToken cancellationToken) =>
        _inner is IFirewallReadBack readBack ? readBack.ReadBansAsync(jails, now, cancellationToken) : Task.FromResult<IReadOnlyList<Ban>>([]);

    /// <summary>Disposes the wrapped backend (the nftables worker thread, for one).</summary>
    public void Dispose() => (_inner as IDisposable)?.Dispose();

    private async Task ApplyGuardAsync(bool v6, CancellationToken cancellationToken)
    {
        var listing = await ListAsync(v6, cancellationToken);
        await _run.RunCheckedAsync(Tool(v6) + "-restore", ["-w", "--noflush"], GuardScript.Apply(listing, _options.Interfaces), cancellationToken);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(400), cancellationToken);
            if (!_applied)
            {
                continue;
            }

            var result = await _run.RunAsync(_options.Iptables, ["-w", "-t", "filter", "-S"], null, cancellationToken);
            var drifted = result.ExitCode == 0 && GuardScript.Drift(FilterListing.Parse(result.StdOut), _options.Interfaces) is not null;
            var signal = drifted && !_pollSawDrift;
            _pollSawDrift = drifted;
            if (signal)
            {
                return;
            }
        }
    }

    private string Tool(bool v6) => v6 ? _options.Ip6tables : _options.Iptables;

    private async Task<FilterListing> ListAsync(bool v6, CancellationToken cancellationToken) =>
        FilterListing.Parse((await _run.RunCheckedAsync(Tool(v6), ["-w", "-t", "filter", "-S"], null, cancellationToken)).StdOut);

    private static partial class Log
    {
        [LoggerMessage(4300, LogLevel.Information, "forward guard: forwarding through {Interfaces} accepted ahead of Docker's FORWARD drop")]
        public static partial void Guarded(ILogger logger, string interfaces);
    }
}
