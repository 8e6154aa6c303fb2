using Warden.Core.Bans;

namespace Warden.Core.Ports;

/// <summary>A ban from the history, with when it really ended.</summary>
/// <param name="Ban">The ban as imposed.</param>
/// <param name="Ended">
/// When it ended: lifted, superseded or expired, whichever came first; <c>null</c> while it runs
/// forever (permanent and not lifted).
/// </param>
public sealed record PastBan(Ban Ban, DateTimeOffset? Ended);
