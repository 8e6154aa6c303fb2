using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>Drift: noticing that the firewall lost Warden's state, and putting all of it back.</summary>
public sealed partial class Engine
{
    // A backend that notices drift by itself wakes the loop at once; the tick's check then
    // confirms and repairs it, so repair does not wait up to a whole tick interval.
    private async Task WatchFirewallAsync(IFirewallMonitor monitor, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await monitor.WhenChangedAsync(cancellationToken);
                await _inbox.Writer.WriteAsync(TickMessage.Instance, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The tick still checks; wait before watching again.
                Log.FirewallWatchFailed(_log, _firewall.Name, ex);
                try
                {
                    await Task.Delay(_options.TickInterval, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Someone else changed the backend's objects (a firewall reload, `nft flush ruleset`, Docker
    // rewriting its chains): the whole desired state goes back in, at the latest one tick later.
    private async Task RepairDriftAsync(IFirewallMonitor monitor, CancellationToken cancellationToken)
    {
        string? drift;
        try
        {
            drift = await monitor.CheckAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FirewallFailed(ex);
            return;
        }

        if (drift is not null)
        {
            Log.FirewallDrift(_log, _firewall.Name, drift);
            await ApplyWholeStateAsync(cancellationToken);
        }
    }

    private async Task ApplyWholeStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The bans are made from the book for this call only; they are garbage once it returns.
            await _firewall.ApplyStateAsync([.. _jails.Select(j => FirewallJail.From(j.Policy))], [.. _book.All], cancellationToken);
            _bansSinceCompaction += _book.Count;
            await CompactAfterBurstAsync();
            if (_firewallDirty)
            {
                Log.FirewallRecovered(_log, _firewall.Name, _book.Count);
            }

            _firewallDirty = false;
            _retryDelay = TimeSpan.FromSeconds(1);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FirewallFailed(ex);
        }
    }

    private void FirewallFailed(Exception ex)
    {
        Stats.AddFirewallError();
        Log.FirewallFailed(_log, _firewall.Name, _retryDelay, ex);
        _firewallDirty = true;
        _firewallRetryAt = _time.GetUtcNow() + _retryDelay;
        _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
    }
}
