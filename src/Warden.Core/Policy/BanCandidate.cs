using System.Net;
using Warden.Core.Bans;
using Warden.Core.Detections;
using Warden.Core.Jails;

namespace Warden.Core.Policy;

/// <summary>An address that reached maxretry in a jail, waiting for the ban decision after its batch.</summary>
internal sealed record BanCandidate(Jail Jail, IPAddress Address, int Failures, Detection Last, IReadOnlyList<EvidenceLine> Evidence);
