using System.Net;
using Warden.Core.Jails;

namespace Warden.Core.Engine;

/// <summary>An address that reached maxretry in a jail, waiting for the ban decision after its batch.</summary>
internal sealed record BanCandidate(Jail Jail, IPAddress Address, int Failures, Detection.Detection Last, IReadOnlyList<string> Matches);
