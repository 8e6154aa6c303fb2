using Warden.Core.Bans;

namespace Warden.Core.Ports;

/// <summary>
/// Several backends behind one <see cref="IFirewall"/>: each jail's bans go to the backends of its
/// actions (fail2ban runs every action of a jail's <c>action</c> list), so a jail may use the
/// native nftables backend while another runs an action.d command action, or both. Every
/// backend is called even when one fails; the first failure is rethrown after, so the engine
/// re-applies the whole state. Drift checks go to the routes that carry a
/// <see cref="FirewallRoute.Monitor"/>. Same threading as <see cref="IFirewall"/>.
/// </summary>
public sealed class FirewallRouter : IFirewall, IFirewallMonitor, IFirewallDiagnostics, IFirewallReadBack, IFirewallCounters, IDisposable
{
    private readonly IReadOnlyList<FirewallRoute> _routes;

    /// <summary>Creates a router over <paramref name="routes"/>.</summary>
    public FirewallRouter(IReadOnlyList<FirewallRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        _routes = routes;
    }

    /// <inheritdoc />
    public string Name => string.Join(" + ", _routes.Select(r => r.Firewall.Name).Distinct());

    /// <summary>True only when every backend expires bans itself; otherwise expiries are forwarded to those that do not.</summary>
    public bool ExpiresBans => _routes.All(r => r.Firewall.ExpiresBans);

    /// <inheritdoc />
    public Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        return EachAsync(route =>
        {
            var own = jails.Where(j => route.Jails.Contains(j.Name)).Select(j => route.Adapt?.Invoke(j) ?? j).ToList();
            return route.Firewall.ApplyStateAsync(own, [.. bans.Where(b => route.Jails.Contains(b.Jail))], cancellationToken);
        });
    }

    /// <inheritdoc />
    public Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) =>
        EachAsync(route => Forward(bans, route, route.Firewall.BanAsync, cancellationToken));

    /// <inheritdoc />
    public Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) =>
        EachAsync(route => Forward(bans, route, route.Firewall.UnbanAsync, cancellationToken));

    /// <inheritdoc />
    public Task RemoveAllAsync(CancellationToken cancellationToken) =>
        EachAsync(route => route.Firewall.RemoveAllAsync(cancellationToken));

    /// <summary>Asks every backend that can notice drift; the first drift found is reported.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var route in _routes)
        {
            if (route.Monitor is { } monitor && await monitor.CheckAsync(cancellationToken) is { } drift)
            {
                return $"{route.Firewall.Name}: {drift}";
            }
        }

        return null;
    }

    /// <summary>Completes when any backend sees a sign of drift (see <see cref="IFirewallMonitor.WhenChangedAsync"/>).</summary>
    public async Task WhenChangedAsync(CancellationToken cancellationToken)
    {
        var monitors = _routes.Select(r => r.Monitor).OfType<IFirewallMonitor>().ToList();
        if (monitors.Count == 0)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }

        using var others = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = monitors.Select(m => m.WhenChangedAsync(others.Token)).ToList();
        var first = await Task.WhenAny(waits);
        await others.CancelAsync();
        foreach (var wait in waits.Where(w => w != first))
        {
            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                // Stopped because another backend answered first.
            }
        }

        await first;
    }

    /// <summary>The findings of every backend that can diagnose itself, each for its own jails and bans.</summary>
    public async Task<IReadOnlyList<Diagnostics.DoctorFinding>> DiagnoseAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        var findings = new List<Diagnostics.DoctorFinding>();
        foreach (var route in _routes)
        {
            if (route.Firewall is IFirewallDiagnostics diagnostics)
            {
                var own = jails.Where(j => route.Jails.Contains(j.Name)).Select(j => route.Adapt?.Invoke(j) ?? j).ToList();
                findings.AddRange(await diagnostics.DiagnoseAsync(own, [.. bans.Where(b => route.Jails.Contains(b.Jail))], cancellationToken));
            }
        }

        return findings;
    }

    /// <summary>The bans held by every backend that can list them, each for its own jails.</summary>
    public async Task<IReadOnlyList<Ban>> ReadBansAsync(IReadOnlyList<FirewallJail> jails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        var bans = new List<Ban>();
        foreach (var route in _routes)
        {
            if (route.Firewall is IFirewallReadBack readBack)
            {
                var own = jails.Where(j => route.Jails.Contains(j.Name)).Select(j => route.Adapt?.Invoke(j) ?? j).ToList();
                bans.AddRange(await readBack.ReadBansAsync(own, now, cancellationToken));
            }
        }

        return bans;
    }

    /// <summary>The drop counts of every backend that keeps them, for the jails routed to it.</summary>
    public async Task<IReadOnlyList<JailDrops>> ReadDropsAsync(CancellationToken cancellationToken)
    {
        var drops = new List<JailDrops>();
        foreach (var route in _routes)
        {
            if (route.Firewall is IFirewallCounters counters)
            {
                drops.AddRange((await counters.ReadDropsAsync(cancellationToken)).Where(d => route.Jails.Contains(d.Jail)));
            }
        }

        return drops;
    }

    /// <summary>Disposes the backends that need it (the nftables worker thread); it owns them.</summary>
    public void Dispose()
    {
        foreach (var firewall in _routes.Select(r => r.Firewall).Distinct())
        {
            (firewall as IDisposable)?.Dispose();
        }
    }

    private static Task Forward(IReadOnlyList<Ban> bans, FirewallRoute route, Func<IReadOnlyList<Ban>, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var own = bans.Where(b => route.Jails.Contains(b.Jail)).ToList();
        return own.Count == 0 ? Task.CompletedTask : call(own, cancellationToken);
    }

    private async Task EachAsync(Func<FirewallRoute, Task> call)
    {
        Exception? first = null;
        foreach (var route in _routes)
        {
            try
            {
                await call(route);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                first ??= ex;
            }
        }

        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }
}
