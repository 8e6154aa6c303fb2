using Warden.Core.Bans;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>An <see cref="IDecisionSink"/> that records what the decisions did, for tests of the decisions alone.</summary>
public sealed class RecordingSink : IDecisionSink
{
    public List<StoredFailure> Counted { get; } = [];

    public List<(string Jail, string Id)> Settled { get; } = [];

    public List<Ban> Imposed { get; } = [];

    public List<Ban> Expired { get; } = [];

    void IDecisionSink.Counted(StoredFailure failure) => Counted.Add(failure);

    void IDecisionSink.Settled(string jail, string id) => Settled.Add((jail, id));

    void IDecisionSink.Imposed(Ban ban) => Imposed.Add(ban);

    void IDecisionSink.Lifted(Ban ban, DateTimeOffset at) => Imposed.Remove(ban);

    void IDecisionSink.Expired(IReadOnlyList<Ban> bans) => Expired.AddRange(bans);
}
