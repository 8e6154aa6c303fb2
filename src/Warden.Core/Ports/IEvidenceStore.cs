using System.Net;

namespace Warden.Core.Ports;

/// <summary>
/// Read access to the ban history with each ban's evidence, for <c>warden show</c> and the
/// dashboard. A state store may implement it next to <see cref="IStateStore"/>. Same threading
/// as the store: the engine calls it from its loop, one call at a time. Reads only what was
/// committed.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>
    /// Every recorded ban (newest first, at most <paramref name="limit"/>) whose target shares an
    /// address with <paramref name="target"/>: the address's own bans and the prefix bans that
    /// covered it, or for a network every ban inside it. Each carries its
    /// <see cref="Bans.Ban.Evidence"/> and <see cref="Bans.Ban.By"/>.
    /// </summary>
    /// <exception cref="StateStoreException">The history cannot be read.</exception>
    Task<IReadOnlyList<PastBan>> BansOfAsync(IPNetwork target, int limit, CancellationToken cancellationToken);

    /// <summary>Every recorded ban that started at or after <paramref name="since"/>, newest first, at most <paramref name="limit"/>, with its evidence (the dashboard's timeline and recent bans).</summary>
    /// <exception cref="StateStoreException">The history cannot be read.</exception>
    Task<IReadOnlyList<PastBan>> BansSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Failures counted and not yet settled by a ban, of addresses inside <paramref name="target"/>, oldest first.</summary>
    /// <exception cref="StateStoreException">The failures cannot be read.</exception>
    Task<IReadOnlyList<StoredFailure>> FailuresOfAsync(IPNetwork target, CancellationToken cancellationToken);
}
