using System.Net;

namespace Warden.Core.Ports;

/// <summary>
/// Read access to every ban ever recorded, for ban time escalation. A state store may implement
/// it next to <see cref="IStateStore"/>; the engine then uses it. Same threading as the store:
/// one engine loop at a time.
/// </summary>
public interface IBanHistory
{
    /// <summary>The most recent bans of exactly <paramref name="target"/> in any jail, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PastBan>> HistoryAsync(IPNetwork target, int limit, CancellationToken cancellationToken);
}
