using System.Net;

namespace Warden.Core.Ports;

/// <summary>A counted failure as it is persisted, so a restart resumes the count where it was.</summary>
public sealed record StoredFailure(string Jail, string Id, IPAddress? Address, DateTimeOffset Time, int Attempts);
