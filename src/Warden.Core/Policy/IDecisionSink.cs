using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Core.Policy;

/// <summary>
/// Receives what <see cref="BanDecisions"/> changed, in the order it happened, on the thread that
/// made the change. The engine's sink sends bans to the firewall and writes them, with the
/// counted failures, to the store; a replay or a shadow run records them instead, and an outbound
/// feed (fleet sharing, metrics) listens here too. A sink must not call back into the decisions.
/// </summary>
public interface IDecisionSink
{
    /// <summary>A failure was counted toward a ban (the store keeps it until findtime or a ban settles it).</summary>
    void Counted(StoredFailure failure);

    /// <summary>The failures of <paramref name="id"/> in <paramref name="jail"/> led to a ban and can be forgotten.</summary>
    void Settled(string jail, string id);

    /// <summary>A ban was put in force; the book already holds it.</summary>
    void Imposed(Ban ban);

    /// <summary>A ban was lifted before its expiry (admin, aggregation, allowlist) at <paramref name="at"/>; the book no longer holds it.</summary>
    void Lifted(Ban ban, DateTimeOffset at);

    /// <summary>Bans that reached their expiry; the book no longer holds them.</summary>
    void Expired(IReadOnlyList<Ban> bans);
}
