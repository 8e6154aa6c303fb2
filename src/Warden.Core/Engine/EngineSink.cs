using Warden.Core.Bans;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// Where the daemon's decisions go: bans and lifts to the firewall, everything to the next store
/// commit, and bans and lifts to the outbound feed (the fleet), which only queues them.
/// </summary>
internal sealed class EngineSink(FirewallSync firewall, StateChanges changes, IDecisionSink? outbound) : IDecisionSink
{
    public void Counted(StoredFailure failure) => changes.Failures.Add(failure);

    public void Settled(string jail, string id) => changes.ClearedFailures.Add((jail, id));

    public void Imposed(Ban ban)
    {
        firewall.Ban(ban);
        changes.Bans.Add(ban);
        outbound?.Imposed(ban);
    }

    public void Lifted(Ban ban, DateTimeOffset at)
    {
        firewall.Unban(ban);
        changes.Lifted.Add((ban, at));
        outbound?.Lifted(ban, at);
    }

    // The store knows each ban's expiry: nothing to record.
    public void Expired(IReadOnlyList<Ban> bans)
    {
        firewall.Expired(bans);
        outbound?.Expired(bans);
    }
}
