using System.Net;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>What Warden knows of one address or network: <c>warden show</c>.</summary>
/// <param name="Target">The address or network asked about.</param>
/// <param name="Bans">Its recorded bans, newest first, with their evidence.</param>
/// <param name="Failures">Its failures counted toward a ban that has not happened (yet).</param>
public sealed record AddressReport(IPNetwork Target, IReadOnlyList<PastBan> Bans, IReadOnlyList<StoredFailure> Failures);
