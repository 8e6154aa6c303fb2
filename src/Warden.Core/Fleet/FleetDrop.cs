namespace Warden.Core.Fleet;

/// <summary>Why a received fleet entry was not applied.</summary>
public enum FleetDrop
{
    /// <summary>The fields do not parse (missing, doubled, unknown, out of bounds).</summary>
    Malformed,

    /// <summary>No signature.</summary>
    NoSignature,

    /// <summary>The origin has no key in <c>peers_dir</c>.</summary>
    UnknownOrigin,

    /// <summary>The signature does not match the origin's key and the fields.</summary>
    Forged,

    /// <summary>The origin's sequence number is not above the last one seen: an old entry again.</summary>
    Replayed,

    /// <summary>This node's own decision coming back; never applied twice, never re-published.</summary>
    Own,

    /// <summary>The jail is not in <c>accept</c> or does not run here.</summary>
    NotAccepted,

    /// <summary>The network is wider than <c>max_prefix4</c> / <c>max_prefix6</c>.</summary>
    TooWide,

    /// <summary>The ban has already expired.</summary>
    Stale,

    /// <summary>The origin sent more than its rate allows.</summary>
    RateLimited,

    /// <summary>The guard refused it here (allowlist, ignoreip, the host's own addresses).</summary>
    Refused,
}
